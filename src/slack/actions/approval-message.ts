import type { Logger } from "../../logger.js";
import type { Approval } from "../../runs/decide-approval.js";
import type { Database } from "../../storage/database.js";
import { decidedBlocks, decisionLine } from "../blocks/approval.js";
import type { SlackClient } from "../clients.js";

/**
 * After a decision, the approval message in the thread shows who decided and when, and loses its
 * buttons. Safe to repeat: the update only restates what the database holds.
 */
export async function showDecision(
  client: SlackClient,
  _database: Database,
  logger: Logger,
  approval: Approval,
): Promise<void> {
  if (!approval.messageTs || approval.status === "pending" || !approval.decidedAt) return;
  // The channel sees the tool only: the summary and arguments can hold private content.
  const request = { tool: approval.tool, summary: `use ${approval.tool}` };
  const decision = {
    approved: approval.status === "approved",
    by: approval.decidedBy,
    at: approval.decidedAt,
    reason: approval.reason,
  };
  try {
    await client.chat.update({
      channel: approval.channel,
      ts: approval.messageTs,
      text: `${request.tool}: ${request.summary} — ${decisionLine(decision)}`.slice(0, 3000),
      blocks: decidedBlocks(request, decision) as never,
    });
  } catch (error) {
    logger.warn({ error: String(error), approvalId: approval.id }, "could not update the approval message");
  }
}
