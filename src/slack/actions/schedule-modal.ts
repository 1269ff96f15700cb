import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { manageActionId } from "../../schedules/channel-messages.js";
import {
  createFromDraft,
  edit,
  findForChange,
  type ManageDependencies,
  ownerOnlyChanges,
} from "../../schedules/manage.js";
import { type ModalMetadata, modalCallbackId, readModal, scheduleModal } from "../../schedules/modal-view.js";
import { botCanPost, lookUpPerson } from "../../schedules/people.js";
import { previewSchedule } from "../../schedules/preview.js";
import { createdText, editActionId, policyText } from "../../schedules/replies.js";
import type { ScheduleRecord } from "../../schedules/store.js";
import type { Services } from "../../services.js";
import type { SlackClient } from "../clients.js";
import { tellPrivately } from "./private-reply.js";

/**
 * The schedule modal: opened by `/coworker schedule` with no arguments (create), by Edit in
 * `schedule list` or App Home, and by "Manage schedule" on a run's header (edit). Only the owner or
 * a workspace admin may open it for an existing schedule, and the check is repeated on submit; an
 * admin's edit may not change the task or the channel, and pauses the schedule until its owner
 * confirms (manage.ts).
 */
const registered = new WeakSet<App>();

export function registerScheduleActions(app: App, services: Services): void {
  if (registered.has(app)) return;
  registered.add(app);
  const openForEdit = async (args: {
    ack: () => Promise<void>;
    body: BlockAction;
    action: ButtonAction;
    client: SlackClient;
    respond: Parameters<typeof tellPrivately>[2]["respond"];
    context: { teamId?: string };
  }) => {
    await args.ack();
    const { body, client } = args;
    const userId = body.user.id;
    const workspaceId = args.context.teamId ?? body.team?.id ?? "";
    const found = await findForChange(services, client, workspaceId, args.action.value ?? "", userId);
    if (!found.ok) {
      await tellPrivately(
        client,
        services.logger,
        { userId, respond: args.respond, channel: body.channel?.id ?? found.schedule?.channel },
        found.reason,
      );
      return;
    }
    await openScheduleModal(client, body.trigger_id, {
      channel: found.schedule.channel,
      schedule: found.schedule,
    });
  };
  app.action<BlockAction<ButtonAction>>(
    editActionId,
    async ({ ack, body, action, client, respond, context }) => {
      await openForEdit({ ack, body, action, client, respond, context });
    },
  );
  app.action<BlockAction<ButtonAction>>(
    manageActionId,
    async ({ ack, body, action, client, respond, context }) => {
      await openForEdit({ ack, body, action, client, respond, context });
    },
  );

  app.view(modalCallbackId, async ({ ack, body, view, client, context }) => {
    const metadata = JSON.parse(view.private_metadata || "{}") as ModalMetadata;
    const read = readModal(view.state.values, metadata);
    if (!read.ok) {
      await ack({ response_action: "errors", errors: read.errors });
      return;
    }
    const { submission } = read;
    const userId = body.user.id;
    const workspaceId = context.teamId ?? body.team?.id ?? "";
    const dependencies = manageDependencies(services);
    const channelChanged = submission.channel !== metadata.channel;
    if (channelChanged && !(await botCanPost(client, submission.channel))) {
      await ack({
        response_action: "errors",
        errors: { channel: "I'm not in that channel: invite me first." },
      });
      return;
    }
    if (!metadata.scheduleId) {
      const created = await createFromDraft(
        dependencies,
        client,
        {
          workspaceId,
          channel: submission.channel,
          userId,
          name: submission.name,
          overlapPolicy: submission.overlapPolicy,
          missedPolicy: submission.missedPolicy,
          missedMaxAgeMinutes: submission.missedMaxAgeMinutes,
        },
        submission.draft,
      );
      if (!created.ok) {
        await ack({ response_action: "errors", errors: { when: created.reason.slice(0, 150) } });
        return;
      }
      await ack();
      await tellPrivately(
        client,
        services.logger,
        { userId, channel: submission.channel },
        createdText(created, services.config.slack.command),
      );
      return;
    }
    const found = await findForChange(services, client, workspaceId, metadata.scheduleId, userId);
    if (!found.ok) {
      await ack({ response_action: "errors", errors: { name: found.reason.slice(0, 150) } });
      return;
    }
    // An empty field means the owner's Slack timezone (the schedule runs for them, whoever edits it).
    const owner = await lookUpPerson(client, found.schedule.ownerId);
    const timezone = submission.draft.timezone ?? owner.timezone ?? "UTC";
    const preview = previewSchedule(submission.draft.cron, timezone, new Date(dependencies.now()));
    const changes = {
      name: submission.name ?? found.schedule.name,
      prompt: submission.draft.task,
      cron: preview.cron,
      timezone: preview.timezone,
      channel: submission.channel,
      overlapPolicy: submission.overlapPolicy,
      missedPolicy: submission.missedPolicy,
      missedMaxAgeMinutes: submission.missedMaxAgeMinutes,
    };
    const byOther = found.schedule.ownerId !== userId;
    const ownerOnly = byOther ? ownerOnlyChanges(found.schedule, changes) : [];
    if (ownerOnly.length > 0) {
      const owner = `<@${found.schedule.ownerId}>`;
      const errors: Record<string, string> = {};
      if (ownerOnly.includes("prompt")) errors.task = `Only the owner (${owner}) can change what it does.`;
      if (ownerOnly.includes("channel"))
        errors.channel = `Only the owner (${owner}) can change where it posts.`;
      await ack({ response_action: "errors", errors });
      return;
    }
    const saved = await edit(dependencies, found.schedule, changes, { userId, client });
    await ack();
    await tellPrivately(
      client,
      services.logger,
      { userId, channel: saved.channel },
      !byOther
        ? savedText(saved, preview.text)
        : saved.version === found.schedule.version
          ? `Nothing changed in *${saved.name}*.`
          : `${savedText(saved, preview.text)}\nIt is paused until <@${saved.ownerId}> confirms the change; they have been told.`,
    );
  });
}

export async function openScheduleModal(
  client: SlackClient,
  triggerId: string,
  options: { channel: string; schedule?: ScheduleRecord; timezone?: string },
): Promise<void> {
  await client.views.open({ trigger_id: triggerId, view: scheduleModal(options) as never });
}

export function manageDependencies(services: Services): ManageDependencies {
  return {
    database: services.database,
    queues: services.queues,
    now: services.now,
    command: services.config.slack.command,
    logger: services.logger,
  };
}

function savedText(schedule: ScheduleRecord, preview: string): string {
  return [
    `:white_check_mark: Saved *${schedule.name}* (<#${schedule.channel}>).`,
    preview,
    policyText(schedule),
  ].join("\n");
}
