import type { App, BlockAction, ButtonAction, RespondFn } from "@slack/bolt";
import { describeApproval } from "../../runs/approval-request.js";
import { parseApprovalValue } from "../../runs/approval-token.js";
import {
  type ApprovalCheck,
  checkApproval,
  type Decision,
  decideApproval,
  findVerifiedApproval,
} from "../../runs/decide-approval.js";
import type { Services } from "../../services.js";
import { approvalActions } from "../blocks/approval.js";
import { argumentsModal, type DenyDialogState, denyReasonModal } from "../blocks/approval-dialogs.js";
import { approvalRefusalText } from "../blocks/refusals.js";
import type { SlackClient } from "../clients.js";
import { publishHome } from "../home/index.js";
import { showDecision } from "./approval-message.js";
import { tellPrivately } from "./private-reply.js";

/**
 * Approve, Deny and "Full arguments" on an approval message (in its thread or in App Home). Every
 * handler acks at once; the decision itself is src/runs/decide-approval.ts. Deny opens a dialog for
 * an optional reason (./deny-dialog.ts records the decision when it is submitted).
 */
export interface ClickContext {
  workspaceId: string;
  userId: string;
  /** A click in a message: its channel, ts and thread (undefined for App Home). */
  channel: string | undefined;
  messageTs: string | undefined;
  threadTs: string | undefined;
  respond: RespondFn | undefined;
}

export function registerApprovalButtons(app: App, services: Services): void {
  app.action<BlockAction<ButtonAction>>(
    approvalActions.approve,
    async ({ ack, body, action, client, respond, context }) => {
      const click = clickContext(body, context, respond);
      const value = parseApprovalValue(action.value);
      if (!value) {
        await ack();
        return refuse(services, client, click, { type: "refused", reason: "invalid" });
      }
      // Decided (a few database writes) before the click is acknowledged: Slack never resends an
      // acknowledged click, so a process that died after acking would lose the decision.
      const decision = await decideApproval(services, {
        ...value,
        workspaceId: click.workspaceId,
        userId: click.userId,
        approved: true,
      });
      await ack();
      await settle(services, client, click, decision);
    },
  );

  app.action<BlockAction<ButtonAction>>(
    approvalActions.deny,
    async ({ ack, body, action, client, respond, context }) => {
      await ack();
      const click = clickContext(body, context, respond);
      const value = parseApprovalValue(action.value);
      if (!value) return refuse(services, client, click, { type: "refused", reason: "invalid" });
      const check = await checkApproval(services, {
        ...value,
        workspaceId: click.workspaceId,
        userId: click.userId,
      });
      if (check.type === "refused") return settle(services, client, click, check);
      const request = await describeApproval(services.database, check.approval);
      const state: DenyDialogState = {
        ...value,
        channel: click.channel,
        messageTs: click.messageTs,
        threadTs: click.threadTs,
      };
      try {
        await client.views.open({
          trigger_id: body.trigger_id,
          view: denyReasonModal(state, request) as never,
        });
      } catch (error) {
        // The click's trigger lasts 3 s; if it ran out, nothing was decided and the button still works.
        services.logger.warn({ error: String(error) }, "could not open the deny dialog");
        await tellPrivately(
          client,
          services.logger,
          { userId: click.userId, respond: click.respond, channel: click.channel, threadTs: click.threadTs },
          "I couldn't open the dialog to deny this. Nothing was decided; please click Deny again.",
        );
      }
    },
  );

  app.action<BlockAction<ButtonAction>>(
    approvalActions.details,
    async ({ ack, body, action, client, respond, context }) => {
      await ack();
      const click = clickContext(body, context, respond);
      const value = parseApprovalValue(action.value);
      const found =
        value && (await findVerifiedApproval(services, { ...value, workspaceId: click.workspaceId }));
      if (!found) return refuse(services, client, click, { type: "refused", reason: "invalid" });
      // The arguments can hold what only the requester may read: only the deciders see them.
      if (!found.approvers.includes(click.userId)) {
        return refuse(services, client, click, {
          type: "refused",
          reason: "forbidden",
          approvers: found.approvers,
        });
      }
      const request = await describeApproval(services.database, found);
      await client.views.open({ trigger_id: body.trigger_id, view: argumentsModal(request) as never });
    },
  );
}

/** After a decision (or a refusal): update the message, refresh App Home, or explain privately. */
export async function settle(
  services: Services,
  client: SlackClient,
  click: ClickContext,
  decision: Decision | ApprovalCheck,
): Promise<void> {
  if (decision.type === "allowed") return;
  if (decision.type === "refused") {
    await refuse(services, client, click, decision);
    // A decided request whose message still has buttons (the process stopped in between): fix it.
    if (decision.reason !== "already_decided" || !decision.approval) return;
  }
  if (decision.approval) await showDecision(client, services.database, services.logger, decision.approval);
  if (!click.messageTs) {
    await publishHome(services, client, { workspaceId: click.workspaceId, userId: click.userId }).catch(
      (error) => services.logger.warn({ error: String(error) }, "could not refresh App Home"),
    );
  }
}

async function refuse(
  services: Services,
  client: SlackClient,
  click: ClickContext,
  refusal: Extract<ApprovalCheck, { type: "refused" }>,
): Promise<void> {
  services.logger.info(
    { reason: refusal.reason, userId: click.userId, approvalId: refusal.approval?.id },
    "approval click refused",
  );
  await tellPrivately(
    client,
    services.logger,
    {
      userId: click.userId,
      respond: click.respond,
      channel: click.channel ?? refusal.approval?.channel,
      threadTs: click.threadTs,
    },
    approvalRefusalText(refusal),
  );
}

export function clickContext(
  body: BlockAction,
  context: { teamId?: string },
  respond: RespondFn | undefined,
): ClickContext {
  const inMessage = body.container?.type === "message";
  const message = body.message as { ts?: string; thread_ts?: string } | undefined;
  return {
    workspaceId: context.teamId ?? body.team?.id ?? "",
    userId: body.user.id,
    channel: inMessage ? body.channel?.id : undefined,
    messageTs: inMessage ? message?.ts : undefined,
    threadTs: inMessage ? (message?.thread_ts ?? message?.ts) : undefined,
    respond: inMessage && body.response_url ? respond : undefined,
  };
}
