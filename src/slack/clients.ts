import { webApi } from "@slack/bolt";
import type { Database } from "../storage/database.js";

export type SlackClient = InstanceType<typeof webApi.WebClient>;

/**
 * Web API clients per workspace. In single-workspace mode the bot token comes from configuration;
 * OAuth installs keep theirs (sealed) on the workspace row.
 */
export interface SlackClients {
  forWorkspace(workspaceId: string): Promise<SlackClient>;
}

export function createSlackClients(options: {
  apiUrl: string;
  botToken: string | undefined;
  database: Database;
  unseal?: (sealed: string) => string;
}): SlackClients {
  const cache = new Map<string, SlackClient>();
  const make = (token: string) =>
    new webApi.WebClient(token, {
      slackApiUrl: options.apiUrl,
      logLevel: webApi.LogLevel.ERROR,
      retryConfig: { retries: 10, factor: 1.6, minTimeout: 500, maxTimeout: 30_000, randomize: true },
    });
  return {
    async forWorkspace(workspaceId) {
      const cached = cache.get(workspaceId);
      if (cached) return cached;
      const workspace = await options.database.workspace.findUnique({ where: { id: workspaceId } });
      const token =
        workspace?.botTokenSealed && options.unseal
          ? options.unseal(workspace.botTokenSealed)
          : options.botToken;
      if (!token) throw new Error(`no bot token for workspace ${workspaceId}`);
      const client = make(token);
      cache.set(workspaceId, client);
      return client;
    },
  };
}
