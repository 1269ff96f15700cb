import { z } from "zod";
import type { Tool } from "./tool.js";

/**
 * Which tools a workspace or channel is offered, and which calls need a person's approval.
 * Stored per workspace in `Workspace.policy`; channel entries override the workspace's.
 */
export interface Policy {
  /** When set, only these tool names are offered (least privilege); a channel's list narrows the workspace's. */
  allowedTools?: string[];
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

const names = z.array(z.string().min(1)).optional();

const channelPolicySchema = z.object({
  allowedTools: names,
  disabledTools: names,
  autoApprove: names,
  alwaysApprove: names,
  approvers: names,
});

/** The shape of `Workspace.policy`. Unknown keys are ignored. */
export const policySchema = channelPolicySchema.extend({
  channels: z.record(z.string(), channelPolicySchema).optional(),
});

/** Parses a stored policy; throws a zod error when it does not have the documented shape. */
export function parsePolicy(value: unknown): Policy {
  return policySchema.parse(value ?? {});
}

export function effectivePolicy(policy: Policy, channel: string): Omit<Policy, "channels"> {
  const override = policy.channels?.[channel] ?? {};
  const allowedTools = narrowed(policy.allowedTools, override.allowedTools);
  return {
    ...(allowedTools ? { allowedTools } : {}),
    disabledTools: [...(policy.disabledTools ?? []), ...(override.disabledTools ?? [])],
    autoApprove: override.autoApprove ?? policy.autoApprove ?? [],
    alwaysApprove: [...(policy.alwaysApprove ?? []), ...(override.alwaysApprove ?? [])],
    approvers: [...(policy.approvers ?? []), ...(override.approvers ?? [])],
  };
}

/** Whether a run under `policy` is offered `tool` at all. */
export function isOffered(tool: Pick<Tool, "name">, policy: Omit<Policy, "channels">): boolean {
  if (policy.disabledTools?.includes(tool.name)) return false;
  return policy.allowedTools === undefined || policy.allowedTools.includes(tool.name);
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

/** A channel can only take tools away from the workspace's allowlist, never add to it. */
function narrowed(workspace: string[] | undefined, channel: string[] | undefined): string[] | undefined {
  if (workspace === undefined) return channel;
  if (channel === undefined) return workspace;
  return workspace.filter((name) => channel.includes(name));
}
