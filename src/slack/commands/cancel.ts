import { cancelRun } from "../../runs/cancel-run.js";
import { findRunByReference } from "../../runs/run-reference.js";
import { isWorkspaceAdmin } from "../actions/admin.js";
import { showDecision } from "../actions/approval-message.js";
import { linked, permalinkOf } from "../blocks/permalink.js";
import { cancelRefusalText } from "../blocks/refusals.js";
import type { Subcommand } from "./subcommand.js";

/** `/coworker cancel <id>`: stops a task, like its Stop button (the requester or an admin). */
export const cancelSubcommand: Subcommand = {
  name: "cancel",
  usage: "cancel <id> — stop one of your tasks (status shows the ids)",
  async handle({ services, command, argumentsText, respond, client }) {
    const reply = (text: string) => respond({ response_type: "ephemeral", text });
    const reference = argumentsText.trim().split(/\s+/)[0] ?? "";
    if (reference === "") {
      await reply(
        `Which task? Use \`${command.command} cancel <id>\`; \`${command.command} status\` shows the ids.`,
      );
      return;
    }
    const lookup = await findRunByReference(services.database, command.team_id, reference);
    if (lookup.type === "not_found") {
      await reply(
        `I couldn't find a task with id \`${reference.slice(0, 40)}\`. \`${command.command} status\` lists yours.`,
      );
      return;
    }
    if (lookup.type === "ambiguous") {
      await reply(`More than one task has an id starting with \`${reference}\`; give a few more characters.`);
      return;
    }
    const result = await cancelRun(services, {
      workspaceId: command.team_id,
      runId: lookup.run.id,
      userId: command.user_id,
      isAdmin: () => isWorkspaceAdmin(client, command.user_id),
    });
    if (result.type === "refused") {
      await reply(cancelRefusalText(result));
      return;
    }
    for (const approval of result.closedApprovals) {
      await showDecision(client, services.database, services.logger, approval);
    }
    const link = await permalinkOf(client, lookup.run.channel, lookup.run.task.threadTs);
    await reply(
      `Stopping ${linked(lookup.run.prompt.slice(0, 80), link)}. It will say so in its thread in a moment.`,
    );
  },
};
