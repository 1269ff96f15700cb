import { webApi } from "@slack/bolt";
import { CodedError } from "../errors.js";
import type { Redactor } from "../security/redact.js";
import type { Database } from "../storage/database.js";
import type { WorkspaceInstallationStore } from "./installations.js";
import { redactingFetch } from "./redacting-fetch.js";

export type SlackClient = InstanceType<typeof webApi.WebClient>;

/**
 * Web API clients per workspace. In single-workspace mode the bot token comes from configuration;
 * OAuth installs keep theirs (sealed) on the workspace row. With `installations` (multi-workspace
 * mode) the installation store decides, so a workspace never borrows another workspace's token. The
 * token is looked up on every call (a reinstall or an uninstall takes effect at once); clients are
 * reused per token.
 */
export interface SlackClients {
  forWorkspace(workspaceId: string): Promise<SlackClient>;
}

export function createSlackClients(options: {
  apiUrl: string;
  botToken: string | undefined;
  database: Database;
  unseal?: (sealed: string) => string;
  installations?: Pick<WorkspaceInstallationStore, "botToken">;
  /** Called when Slack answers 429 (metrics: `slackRateLimitListener(metrics)`). */
  onRateLimited?: (retryAfterSeconds: number, request: { url: string }) => void;
  /** Applied to everything sent to Slack (./redacting-fetch.ts). */
  redact?: Redactor;
}): SlackClients {
  const cache = new Map<string, SlackClient>();
  const make = (token: string) => {
    const client = new webApi.WebClient(token, {
      slackApiUrl: options.apiUrl,
      logLevel: webApi.LogLevel.ERROR,
      ...(options.redact ? { fetch: redactingFetch(options.redact) } : {}),
      retryConfig: { retries: 10, factor: 1.6, minTimeout: 500, maxTimeout: 30_000, randomize: true },
    });
    if (options.onRateLimited) client.on(webApi.WebClientEvent.RATE_LIMITED, options.onRateLimited);
    return client;
  };
  const tokenFor = async (workspaceId: string): Promise<string> => {
    if (options.installations) return options.installations.botToken(workspaceId);
    const workspace = await options.database.workspace.findUnique({ where: { id: workspaceId } });
    const token =
      workspace?.botTokenSealed && options.unseal
        ? options.unseal(workspace.botTokenSealed)
        : options.botToken;
    if (!token) {
      throw new CodedError("slack_not_installed", `no bot token for workspace ${workspaceId}`, {
        expected: true,
      });
    }
    return token;
  };
  return {
    async forWorkspace(workspaceId) {
      const token = await tokenFor(workspaceId);
      const cached = cache.get(token);
      if (cached) return cached;
      const client = make(token);
      cache.set(token, client);
      return client;
    },
  };
}
