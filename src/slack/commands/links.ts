import { revokeRunLinksOf } from "../../web/run-links.js";
import type { Subcommand } from "./subcommand.js";

/** `/coworker links revoke`: every "View run" link you were given stops working at once. */
export const linksSubcommand: Subcommand = {
  name: "links",
  usage: "links revoke — make every run link you were given stop working",
  async handle({ services, command, argumentsText, respond }) {
    const reply = (text: string) => respond({ response_type: "ephemeral", text });
    if (argumentsText.trim().toLowerCase() !== "revoke") {
      await reply(`Use \`${command.command} links revoke\` to revoke every run link you were given.`);
      return;
    }
    const count = await revokeRunLinksOf(services.database, command.team_id, command.user_id, services.now());
    await reply(
      count === 0
        ? "You have no run links that still work."
        : `Revoked ${count} run link${count === 1 ? "" : "s"}: they no longer open anything.`,
    );
  },
};
