import type { App } from "@slack/bolt";
import type { Services } from "../../services.js";
import { cancelSubcommand } from "./cancel.js";
import { connectSubcommand, disconnectSubcommand } from "./connect.js";
import { createHelpSubcommand } from "./help.js";
import { linksSubcommand } from "./links.js";
import { memorySubcommand } from "./memory.js";
import { scheduleSubcommand } from "./schedule.js";
import { statusSubcommand } from "./status.js";
import type { Subcommand } from "./subcommand.js";

/**
 * The slash command (SLACK_COMMAND, default /coworker). Each subcommand lives in its own file and is
 * listed here; anything else gets usage help. Everything is acked at once and answered ephemerally.
 */
export const subcommands: Subcommand[] = [
  createHelpSubcommand(() => subcommands),
  statusSubcommand,
  cancelSubcommand,
  memorySubcommand,
  scheduleSubcommand,
  connectSubcommand,
  disconnectSubcommand,
  linksSubcommand,
];

export function registerSlashCommand(app: App, services: Services, list: Subcommand[] = subcommands): void {
  app.command(services.config.slack.command, async ({ command, ack, respond, client }) => {
    await ack();
    const [name = "", ...rest] = command.text.trim().split(/\s+/);
    const subcommand = list.find((item) => item.name === name.toLowerCase());
    if (!subcommand) {
      await respond({ response_type: "ephemeral", text: usage(services.config.slack.command, list, name) });
      return;
    }
    try {
      await subcommand.handle({ services, command, argumentsText: rest.join(" "), respond, client });
    } catch (error) {
      services.logger.error({ error: String(error), subcommand: subcommand.name }, "slash subcommand failed");
      await respond({
        response_type: "ephemeral",
        text: "Sorry, that did not work. Please try again in a moment.",
      });
    }
  });
}

export function usage(command: string, list: Subcommand[], unknown?: string): string {
  const intro = unknown && unknown !== "help" ? `I don't know \`${unknown}\`. ` : "";
  const lines = list.map((item) => `• \`${command} ${item.usage}\``);
  const help = list.some((item) => item.name === "help") ? "" : `\n• \`${command} help\` — this list`;
  return `${intro}Here is what \`${command}\` can do:\n${lines.join("\n")}${help}`;
}
