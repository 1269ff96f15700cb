import { sign } from "../security/signing.js";
import type { Database, Prisma } from "../storage/database.js";
import type { Tool } from "../tools/tool.js";
import type { BlockedFlow } from "./flow.js";
import type { HarnessServices, RunRecord } from "./loop.js";
import type { ToolCallRequest } from "./model/model.js";
import type { RunThread } from "./thread.js";

/**
 * A risky call waits for a person. The approval row is keyed by the call's idempotency key, so a
 * crash between creating it and asking creates no second approval, and the message is posted once.
 */
export interface ApprovalInput {
  key: string;
  call: ToolCallRequest;
  tool: Tool;
  input: unknown;
  hash: string;
  /** Information flows the call would make that the requester has not allowed (flow.ts). */
  flows: BlockedFlow[];
}

export function approvalToken(
  key: Buffer,
  approval: { id: string; runId: string; toolCallKey: string; argumentsHash: string },
): string {
  return sign(key, `${approval.id}.${approval.runId}.${approval.toolCallKey}.${approval.argumentsHash}`);
}

export async function createApproval(
  loop: {
    run: RunRecord;
    services: HarnessServices;
    thread: RunThread;
    toolset: { policy: { approvers?: string[] } };
  },
  input: ApprovalInput,
): Promise<{ id: string }> {
  const { run, services, thread } = loop;
  // A flow of the requester's data is theirs alone to allow; an action, also the policy's approvers'.
  const approvers =
    input.flows.length > 0
      ? [run.requesterId]
      : [...new Set([run.requesterId, ...(loop.toolset.policy.approvers ?? [])])];
  const flow = input.flows.length > 0 ? flowRecord(input.flows) : undefined;
  const summary = input.tool.summarize?.(input.input as never) ?? `${input.tool.name}`;
  const approval = await services.database.approval.upsert({
    where: { toolCallKey: input.key },
    update: {},
    create: {
      runId: run.id,
      toolCallKey: input.key,
      tool: input.tool.name,
      argumentsHash: input.hash,
      approvers,
      channel: run.channel,
      summary,
      ...(flow ? { flow: flow as unknown as Prisma.InputJsonValue } : {}),
    },
  });
  const token = approvalToken(services.approvalKey, approval);
  const posted = await thread.requestApproval(`${input.key}:approval`, {
    approvalId: approval.id,
    tool: input.tool.name,
    summary,
    arguments: input.input as Prisma.InputJsonValue,
    approvers,
    token,
    ...(flow ? { flows: flow } : {}),
  });
  if (!approval.messageTs) {
    await services.database.approval.update({ where: { id: approval.id }, data: { messageTs: posted.ts } });
  }
  return approval;
}

/** What leaves and to whom, as recorded on the Approval row and shown (privately) to the requester. */
function flowRecord(flows: BlockedFlow[]) {
  return flows.map((flow) => ({
    audience: flow.audience,
    destination: flow.sink.audience,
    preview: flow.sink.preview,
    reason: flow.reason,
    key: flow.key,
  }));
}

/**
 * A person can decide on an approval whose message was posted by a process that died before it
 * recorded the post. The decision ends the question: the post is never retried, so its ledger entry
 * is closed instead of being left as an intent.
 */
export async function closeApprovalPost(
  database: Database,
  approval: { toolCallKey: string; status: string; messageTs: string | null },
): Promise<void> {
  if (approval.status === "pending") return;
  // The request in the thread and each decider's private copy (`…:approval:to:<user>`).
  const key = `${approval.toolCallKey}:approval`;
  await database.toolCall.updateMany({
    where: { OR: [{ key }, { key: { startsWith: `${key}:to:` } }], status: "intent" },
    data: {
      status: "done",
      result: { ts: approval.messageTs, note: `closed: the approval was ${approval.status}` },
      finishedAt: new Date(),
    },
  });
}
