import type { RespondFn, SlashCommand } from "@slack/bolt";
import type { Services } from "../../services.js";
import type { SlackClient } from "../clients.js";

/**
 * One subcommand of the slash command (`/coworker <name> ...`), one file each, listed in
 * ./index.ts. The router acks at once; a handler answers with `respond` (ephemeral by default).
 */
export interface SubcommandContext {
  services: Services;
  command: SlashCommand;
  /** The text after the subcommand's name. */
  argumentsText: string;
  respond: RespondFn;
  client: SlackClient;
}

export interface Subcommand {
  name: string;
  /** One line for `help`: usage and what it does. */
  usage: string;
  handle(context: SubcommandContext): Promise<void>;
}
