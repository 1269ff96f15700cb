import type { App } from "@slack/bolt";
import { decideApproval } from "../../runs/decide-approval.js";
import type { Services } from "../../services.js";
import { denyDialog, parseDenyDialogState } from "../blocks/approval-dialogs.js";
import { settle } from "./approval-buttons.js";

/**
 * The deny dialog was submitted: record the denial with its reason (which the model reads when the
 * run continues). The same checks as a click apply: a valid token, someone allowed, still pending.
 */
export function registerDenyDialog(app: App, services: Services): void {
  app.view(denyDialog.callbackId, async ({ ack, body, view, client, context }) => {
    await ack();
    const workspaceId = context.teamId ?? body.team?.id ?? "";
    const state = parseDenyDialogState(view.private_metadata);
    const click = {
      workspaceId,
      userId: body.user.id,
      channel: state?.channel,
      messageTs: state?.messageTs,
      threadTs: state?.threadTs,
      respond: undefined,
    };
    if (!state) {
      await settle(services, client, click, { type: "refused", reason: "invalid" });
      return;
    }
    const reason = view.state.values[denyDialog.blockId]?.[denyDialog.actionId]?.value ?? undefined;
    const decision = await decideApproval(services, {
      approvalId: state.approvalId,
      token: state.token,
      workspaceId,
      userId: body.user.id,
      approved: false,
      reason,
    });
    await settle(services, client, click, decision);
  });
}
