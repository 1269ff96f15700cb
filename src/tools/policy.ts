import type { Tool } from "./tool.js";

/**
 * Which tools a workspace or channel is offered, and which calls need a person's approval.
 * Stored per workspace in `Workspace.policy`; channel entries override the workspace's.
 */
export interface Policy {
  /** Tool names never offered (least privilege). */
  disabledTools?: string[];
  /** Tool names that run without approval even though they write. */
  autoApprove?: string[];
  /** Tool names that always need approval, even read-only ones. */
  alwaysApprove?: string[];
  /** Slack user ids who may approve any run's actions, besides the requester. */
  approvers?: string[];
  channels?: Record<string, Omit<Policy, "channels">>;
}

export function effectivePolicy(policy: Policy, channel: string): Omit<Policy, "channels"> {
  const override = policy.channels?.[channel] ?? {};
  return {
    disabledTools: [...(policy.disabledTools ?? []), ...(override.disabledTools ?? [])],
    autoApprove: override.autoApprove ?? policy.autoApprove ?? [],
    alwaysApprove: [...(policy.alwaysApprove ?? []), ...(override.alwaysApprove ?? [])],
    approvers: [...(policy.approvers ?? []), ...(override.approvers ?? [])],
  };
}

/** By default anything that writes outside the run's own thread or sandbox, or cannot be undone, asks first. */
export function needsApproval(
  tool: Pick<Tool, "name" | "risk" | "confined">,
  policy: Omit<Policy, "channels">,
): boolean {
  if (policy.alwaysApprove?.includes(tool.name)) return true;
  if (tool.risk === "irreversible") return true;
  if (tool.risk === "read" || tool.confined) return false;
  return !policy.autoApprove?.includes(tool.name);
}
