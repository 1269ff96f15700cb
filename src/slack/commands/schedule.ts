import { isCodedError } from "../../errors.js";
import { shortId } from "../../schedules/ids.js";
import { createFromText, findForChange, pauseOrResume, remove, runNow } from "../../schedules/manage.js";
import { lookUpPerson, mayChange } from "../../schedules/people.js";
import { createdText, failureText, scheduleBlocks } from "../../schedules/replies.js";
import { listSchedules } from "../../schedules/store.js";
import { manageDependencies, openScheduleModal } from "../actions/schedule-modal.js";
import type { Subcommand, SubcommandContext } from "./subcommand.js";

/**
 * `/coworker schedule <when> <task>` creates a recurring task in this channel (cron in quotes, or an
 * English phrase; the creator's Slack timezone unless `in <Zone>` is given). With nothing after
 * "schedule" it opens the modal. `schedule list`, `pause <id>`, `resume <id>`, `delete <id>` and
 * `run <id>` manage schedules; only the owner or a workspace admin may pause or delete one, and only
 * the owner may resume or run it (manage.ts says why). Every answer is ephemeral.
 */
const actions = ["list", "pause", "resume", "delete", "run"] as const;

export const scheduleSubcommand: Subcommand = {
  name: "schedule",
  usage:
    "schedule <when> <task> — a recurring task here (e.g. `schedule every weekday at 9am summarize #support`); " +
    "`schedule` alone opens a form; `schedule list`, `pause|resume|delete|run <id>`",
  async handle(context) {
    const text = context.argumentsText.trim();
    if (text === "") return openCreateModal(context);
    const [first = "", second = "", ...more] = text.split(/\s+/);
    const action = actions.find((name) => name === first.toLowerCase());
    if (action === "list" && second === "") return list(context);
    if (action && action !== "list" && more.length === 0 && second !== "")
      return change(context, action, second);
    return create(context, text);
  },
};

async function reply(context: SubcommandContext, text: string, blocks?: unknown[]): Promise<void> {
  await context.respond({ response_type: "ephemeral", text, ...(blocks ? { blocks: blocks as never } : {}) });
}

async function create(context: SubcommandContext, text: string): Promise<void> {
  const { command, services, client } = context;
  const result = await createFromText(manageDependencies(services), client, {
    workspaceId: command.team_id,
    channel: command.channel_id,
    userId: command.user_id,
    text,
  });
  const slash = services.config.slack.command;
  if (!result.ok) return reply(context, failureText(result, slash));
  services.logger.info(
    { scheduleId: result.schedule.id, workspaceId: command.team_id, userId: command.user_id },
    "schedule created",
  );
  return reply(context, createdText(result, slash));
}

async function openCreateModal(context: SubcommandContext): Promise<void> {
  const { command, client } = context;
  const person = await lookUpPerson(client, command.user_id);
  await openScheduleModal(client, command.trigger_id, {
    channel: command.channel_id,
    ...(person.timezone ? { timezone: person.timezone } : {}),
  });
}

/** The person's schedules and this channel's; a workspace admin sees them all. */
async function list(context: SubcommandContext): Promise<void> {
  const { command, services, client } = context;
  const person = await lookUpPerson(client, command.user_id);
  const all = await listSchedules(services.database, command.team_id);
  const visible = all.filter(
    (schedule) => person.isAdmin || schedule.ownerId === person.id || schedule.channel === command.channel_id,
  );
  if (visible.length === 0) {
    return reply(
      context,
      `No schedules here yet. Create one with \`${services.config.slack.command} schedule every weekday at 9am <task>\`.`,
    );
  }
  const now = new Date(services.now());
  const blocks = [
    { type: "section", text: { type: "mrkdwn", text: `*Schedules* (${visible.length})` } },
    ...scheduleBlocks(visible, now, { canEdit: (schedule) => mayChange(schedule, person) }),
  ];
  return reply(context, `${visible.length} schedule${visible.length === 1 ? "" : "s"}`, blocks);
}

async function change(
  context: SubcommandContext,
  action: Exclude<(typeof actions)[number], "list">,
  idText: string,
): Promise<void> {
  const { command, services, client } = context;
  const dependencies = manageDependencies(services);
  const found = await findForChange(services, client, command.team_id, idText, command.user_id);
  if (!found.ok) return reply(context, `:no_entry: ${found.reason}`);
  const { schedule } = found;
  const label = `*${schedule.name}* (\`${shortId(schedule.id)}\`)`;
  const actor = { userId: command.user_id, client };
  const byOwner = schedule.ownerId === command.user_id;
  try {
    switch (action) {
      case "pause":
        await pauseOrResume(dependencies, schedule, true, actor);
        return await reply(
          context,
          byOwner
            ? `:double_vertical_bar: Paused ${label}. Nothing runs until you resume it.`
            : `:double_vertical_bar: Paused ${label}. <@${schedule.ownerId}> has been told, and only they can resume it.`,
        );
      case "resume":
        await pauseOrResume(dependencies, schedule, false, actor);
        return await reply(
          context,
          `:arrow_forward: Resumed ${label}. Runs while it was paused are not made up.`,
        );
      case "delete":
        await remove(dependencies, schedule, actor);
        return await reply(
          context,
          `:wastebasket: Deleted ${label}. It will not run again.${byOwner ? "" : ` <@${schedule.ownerId}> has been told.`}`,
        );
      case "run":
        await runNow(dependencies, client, schedule, {
          userId: command.user_id,
          requestId: command.trigger_id,
        });
        return await reply(context, `:arrow_forward: Started ${label} now in <#${schedule.channel}>.`);
    }
  } catch (error) {
    if (isCodedError(error, "forbidden")) return reply(context, `:no_entry: ${error.message}`);
    throw error;
  } finally {
    services.logger.info(
      { scheduleId: schedule.id, action, userId: command.user_id },
      "schedule change asked",
    );
  }
}
