import { activeRunsOf, shortId } from "../../runs/run-reference.js";
import { describeStatus } from "../../runs/run-statuses.js";
import { linked, permalinkOf } from "../blocks/permalink.js";
import { slackDate } from "../blocks/text.js";
import type { Subcommand } from "./subcommand.js";

/** `/coworker status`: your tasks that are working or waiting, with links and the ids `cancel` takes. */
export const statusSubcommand: Subcommand = {
  name: "status",
  usage: "status — your running and waiting tasks",
  async handle({ services, command, respond, client }) {
    const runs = await activeRunsOf(services.database, command.team_id, command.user_id);
    if (runs.length === 0) {
      await respond({
        response_type: "ephemeral",
        text: "You have no running or waiting tasks. Mention me or send me a DM to start one.",
      });
      return;
    }
    const lines = await Promise.all(
      runs.map(async (run) => {
        const link = await permalinkOf(client, run.channel, run.task.threadTs);
        const title = run.prompt.length > 80 ? `${run.prompt.slice(0, 79)}…` : run.prompt;
        return `• ${linked(title, link)} — ${describeStatus(run.status)}, started ${slackDate(run.createdAt)} · id \`${shortId(run.id)}\``;
      }),
    );
    const count = runs.length === 1 ? "1 task" : `${runs.length} tasks`;
    await respond({
      response_type: "ephemeral",
      text: [
        `*Your running and waiting tasks* (${count})`,
        ...lines,
        `Stop one with \`${command.command} cancel <id>\`.`,
      ].join("\n"),
    });
  },
};
