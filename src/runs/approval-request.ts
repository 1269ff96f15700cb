import { parseState } from "../harness/state.js";
import type { Database } from "../storage/database.js";

/**
 * What an approval is about, for surfaces other than the original message (App Home, the "full
 * arguments" dialog, the message after a decision): the tool, the readable summary the approval
 * message showed (kept in our own log of the thread, ThreadMessage), and the call's arguments (from
 * the run's checkpoint while the call waits, from the ledger once it ran).
 */
export interface ApprovalRequest {
  tool: string;
  summary: string;
  arguments: unknown;
}

const recordPrefix = "Asked for approval to use ";

/** The text recorded in the thread log for an approval message (and read back by `describeApproval`). */
export function approvalRecordText(tool: string, summary: string): string {
  return `${recordPrefix}${tool}: ${summary}`;
}

export async function describeApproval(
  database: Database,
  approval: {
    runId: string;
    toolCallKey: string;
    tool: string;
    channel: string;
    messageTs: string | null;
    summary?: string | null;
  },
): Promise<ApprovalRequest> {
  const [recorded, run, ledger] = await Promise.all([
    approval.messageTs
      ? database.threadMessage.findFirst({ where: { channel: approval.channel, ts: approval.messageTs } })
      : null,
    database.run.findUnique({ where: { id: approval.runId }, select: { state: true } }),
    database.toolCall.findUnique({ where: { key: approval.toolCallKey }, select: { arguments: true } }),
  ]);
  const head = `${recordPrefix}${approval.tool}: `;
  const summary =
    approval.summary ?? (recorded?.text.startsWith(head) ? recorded.text.slice(head.length) : approval.tool);
  return {
    tool: approval.tool,
    summary,
    arguments: ledger?.arguments ?? pendingArguments(run?.state, approval.toolCallKey) ?? {},
  };
}

/** The arguments of the waiting call in a checkpoint; the key is `<run>:<turn>:<call id>`. */
function pendingArguments(state: unknown, toolCallKey: string): unknown {
  if (!state) return undefined;
  const callId = toolCallKey.split(":").slice(2).join(":");
  try {
    const call = parseState(state).pending.find((candidate) => candidate.id === callId);
    return call ? JSON.parse(call.arguments || "{}") : undefined;
  } catch {
    return undefined;
  }
}
