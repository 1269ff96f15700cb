import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { Services } from "../../services.js";
import { issueRunLink, revokeRunLink } from "../../web/run-links.js";
import { slackDate } from "../blocks/text.js";
import { clickContext } from "./approval-buttons.js";
import { tellPrivately } from "./private-reply.js";

/**
 * "View run" on a run's status message (value: the run id). The run's page can show tool results only
 * its requester may read, so the link goes to the requester alone: a fresh, expiring link in an
 * ephemeral message, with a button that revokes it. Anyone else who clicks is told so privately;
 * admins use the run list (/runs, admin login). See docs/security.md, "Run links and the viewer".
 */
export const viewAction = "run.view";
export const revokeLinkAction = "run.link.revoke";

export function registerViewButton(app: App, services: Services): void {
  app.action<BlockAction<ButtonAction>>(viewAction, async ({ ack, body, action, client, context }) => {
    await ack();
    // No response_url: the answer goes through the Web API client, so it passes the redactor too.
    const click = clickContext(body, context, undefined);
    const run = await services.database.run.findFirst({
      where: { id: action.value ?? "", workspaceId: click.workspaceId },
      select: { id: true, workspaceId: true, requesterId: true },
    });
    if (!run) {
      await tellPrivately(client, services.logger, click, "I couldn't find that run.");
      return;
    }
    if (run.requesterId !== click.userId) {
      await tellPrivately(
        client,
        services.logger,
        click,
        `Only <@${run.requesterId}> (who asked) can open this run's details: they may hold things only they can see.`,
      );
      return;
    }
    const link = await issueRunLink(services, run, click.userId);
    if (!click.channel) return;
    await client.chat.postEphemeral({
      channel: click.channel,
      user: click.userId,
      ...(click.threadTs ? { thread_ts: click.threadTs } : {}),
      text: "Your link to this run: only you have it, and it expires in a few hours.",
      blocks: [
        {
          type: "section",
          text: {
            type: "mrkdwn",
            text: `Your link to this run: only you have it, and it works until ${slackDate(link.expiresAt)}.`,
          },
        },
        {
          type: "actions",
          block_id: "run.link",
          elements: [
            {
              type: "button",
              action_id: "run.link.open",
              text: { type: "plain_text", text: "Open" },
              url: link.url,
            },
            {
              type: "button",
              action_id: revokeLinkAction,
              text: { type: "plain_text", text: "Revoke link" },
              value: link.id,
            },
          ],
        },
      ],
    });
  });

  // Slack sends a block action for a link button too: nothing to do but acknowledge it.
  app.action("run.link.open", async ({ ack }) => {
    await ack();
  });

  app.action<BlockAction<ButtonAction>>(revokeLinkAction, async ({ ack, body, action, client, context }) => {
    await ack();
    const click = clickContext(body, context, undefined);
    const revoked = await revokeRunLink(services.database, action.value ?? "", click.userId, services.now());
    await tellPrivately(
      client,
      services.logger,
      click,
      revoked
        ? "Revoked: that link no longer opens the run."
        : "That link was already revoked or isn't yours.",
    );
  });
}
