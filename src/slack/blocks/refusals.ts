import type { CancelResult } from "../../runs/cancel-run.js";
import type { ApprovalCheck } from "../../runs/decide-approval.js";
import { slackDate } from "./text.js";

/** What people are told, privately, when a click or a command is refused. One or two plain sentences. */
export function approvalRefusalText(refusal: Extract<ApprovalCheck, { type: "refused" }>): string {
  switch (refusal.reason) {
    case "invalid":
      return "This approval button doesn't match any request I'm waiting on (it may be outdated or altered), so nothing was done.";
    case "forbidden": {
      const who = (refusal.approvers ?? []).map((user) => `<@${user}>`).join(", ") || "the requester";
      return `Only ${who} can decide on this request, so nothing changed.`;
    }
    case "already_decided": {
      const approval = refusal.approval;
      if (!approval) return "This request was already decided, so nothing changed.";
      const verdict = approval.status === "approved" ? "approved" : "denied";
      const who = approval.decidedBy ? ` by <@${approval.decidedBy}>` : "";
      const when = approval.decidedAt ? ` ${slackDate(approval.decidedAt)}` : "";
      return `This request was already ${verdict}${who}${when}, so nothing changed.`;
    }
    case "ended":
      return "This task has already ended, so there is nothing left to approve.";
  }
}

export function cancelRefusalText(refusal: Extract<CancelResult, { type: "refused" }>): string {
  switch (refusal.reason) {
    case "not_found":
      return "I couldn't find that task.";
    case "forbidden":
      return `Only <@${refusal.run?.requesterId ?? ""}> (who asked) or a workspace admin can stop this task.`;
    case "ended":
      return "That task has already finished, so there is nothing to stop.";
  }
}
