import { z } from "zod";
import type { Database } from "../storage/database.js";
import { effectivePolicy } from "../tools/policy.js";

/**
 * What a workspace's policy (`Workspace.policy`) says about approvals: who besides the requester may
 * decide (`approvers`, per channel too), when to remind people of a request still waiting
 * (`approvals.remindAfterMinutes`, default one hour) and when a request lapses
 * (`approvals.expireAfterMinutes`, default never). A malformed policy falls back to the defaults.
 */
export interface ApprovalSettings {
  /** Configured approvers for this channel (the requester is always on the approval row itself). */
  approvers: string[];
  remindAfterMs: number;
  /** Undefined: the request waits until someone decides. */
  expireAfterMs: number | undefined;
}

export const defaultRemindAfterMs = 60 * 60 * 1000;

const approverList = z.array(z.string()).optional();
const storedPolicy = z.looseObject({
  approvers: approverList,
  channels: z.record(z.string(), z.looseObject({ approvers: approverList })).optional(),
  approvals: z
    .looseObject({
      remindAfterMinutes: z.number().positive().optional(),
      expireAfterMinutes: z.number().positive().optional(),
    })
    .optional(),
});

export function approvalSettingsFrom(policy: unknown, channel: string): ApprovalSettings {
  const parsed = storedPolicy.safeParse(policy ?? {});
  const value = parsed.success ? parsed.data : {};
  const minutes = (count: number | undefined) => (count === undefined ? undefined : count * 60_000);
  return {
    approvers: effectivePolicy(value, channel).approvers ?? [],
    remindAfterMs: minutes(value.approvals?.remindAfterMinutes) ?? defaultRemindAfterMs,
    expireAfterMs: minutes(value.approvals?.expireAfterMinutes),
  };
}

export async function approvalSettings(
  database: Database,
  workspaceId: string,
  channel: string,
): Promise<ApprovalSettings> {
  const workspace = await database.workspace.findUnique({
    where: { id: workspaceId },
    select: { policy: true },
  });
  return approvalSettingsFrom(workspace?.policy, channel);
}

/** Everyone who may decide on an approval: the people on the row, plus configured approvers. */
export function mayDecide(approval: { approvers: string[] }, settings: ApprovalSettings, userId: string) {
  return approval.approvers.includes(userId) || settings.approvers.includes(userId);
}
