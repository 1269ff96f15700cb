import type { Logger } from "../../logger.js";
import type { Sealer } from "../../security/seal.js";
import type { SlackClients } from "../../slack/clients.js";
import type { Database } from "../../storage/database.js";
import type { ResolvedGoogleSettings } from "./settings.js";

/** What the Google integration needs from the composition root (a subset of `Services`). */
export interface GoogleDependencies {
  database: Database;
  sealer: Sealer;
  keys: { oauthState: Buffer; links: Buffer };
  logger: Logger;
  now(): number;
  slack: SlackClients;
  settings: ResolvedGoogleSettings;
  /** The slash command (`/coworker`), for instructions in messages. */
  slashCommand: string;
  /** Waits between retries (tests pass one that does not wait). */
  sleep?(milliseconds: number, signal?: AbortSignal): Promise<void>;
}
