import type { Subcommand } from "./subcommand.js";

/**
 * `/coworker help`: how to work with the coworker, then every subcommand. Takes the list lazily, as
 * it is listed in it (./index.ts).
 */
export function createHelpSubcommand(list: () => Subcommand[]): Subcommand {
  return {
    name: "help",
    usage: "help — how to work with me, and every command",
    async handle({ command, respond }) {
      const name = command.command;
      const commands = list()
        .filter((item) => item.name !== "help")
        .map((item) => {
          const [syntax = item.name, ...description] = item.usage.split(" — ");
          return `• \`${name} ${syntax}\`${description.length ? ` — ${description.join(" — ")}` : ""}`;
        });
      const text = [
        "*How to work with me*",
        "• Mention me in a channel or thread, send me a DM, or open me in the assistant pane, and say what you need.",
        "• Reply in the thread while I work to steer me (I react with :eyes:), or afterwards to follow up.",
        "• Before I do anything risky I ask for approval in the thread; the *Stop* button on my status message stops me.",
        "",
        `*Commands*`,
        ...commands,
        `• \`${name} help\` — this help`,
      ].join("\n");
      await respond({ response_type: "ephemeral", text });
    },
  };
}
