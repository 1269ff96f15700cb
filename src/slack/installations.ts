import { type Installation, type InstallationQuery, type InstallationStore, webApi } from "@slack/bolt";
import { CodedError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { Sealer } from "../security/seal.js";
import type { Database } from "../storage/database.js";

/**
 * Which bot token serves which workspace. An OAuth install is a Workspace row whose bot token is sealed
 * (AES-256-GCM with a key from ENCRYPTION_KEY). The single-workspace token from configuration
 * (SLACK_BOT_TOKEN) serves only the workspace it belongs to (learned once with auth.test), and only
 * while that workspace has no OAuth install. Bolt's InstallProvider stores installs here and its
 * `authorize` reads them for every request, so an event from workspace B is handled with B's token.
 * Tokens never reach a log line or an error message.
 */
export interface TokenIdentity {
  teamId: string;
  teamName: string | undefined;
  botId: string;
  botUserId: string;
}

export interface WorkspaceInstallationStore extends InstallationStore {
  fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<"v2", false>>;
  deleteInstallation(query: InstallationQuery<boolean>): Promise<void>;
  /** The bot token for a workspace; `slack_not_installed` when there is none. */
  botToken(workspaceId: string): Promise<string>;
}

export interface InstallationStoreOptions {
  database: Database;
  sealer: Sealer;
  logger: Logger;
  /** The single-workspace token (SLACK_BOT_TOKEN) and how to learn which workspace it belongs to. */
  configured?: { botToken: string; identify(): Promise<TokenIdentity> };
}

export function createInstallationStore(options: InstallationStoreOptions): WorkspaceInstallationStore {
  const { database, sealer, logger, configured } = options;

  /** The workspace's OAuth install, else the configured token if it belongs to that workspace. */
  async function resolve(workspaceId: string | undefined): Promise<Resolved> {
    if (!workspaceId) {
      throw new CodedError(
        "slack_install_unsupported",
        "org-wide (Enterprise Grid) installs are not supported",
        {
          expected: true,
        },
      );
    }
    const row = await database.workspace.findUnique({ where: { id: workspaceId } });
    if (row?.botTokenSealed) {
      return {
        identity: {
          teamId: row.id,
          teamName: row.name || undefined,
          botId: row.botId ?? "",
          botUserId: row.botUserId ?? "",
        },
        token: sealer.unseal(row.botTokenSealed),
        scopes: row.scopes ? row.scopes.split(",") : [],
        installedBy: row.installedBy ?? "",
      };
    }
    if (configured) {
      const identity = await configured.identify();
      if (identity.teamId === workspaceId) {
        return { identity, token: configured.botToken, scopes: [], installedBy: "" };
      }
    }
    throw new CodedError("slack_not_installed", `the app is not installed in workspace ${workspaceId}`, {
      expected: true,
    });
  }

  return {
    async storeInstallation(install) {
      const team = install.team;
      const bot = install.bot;
      if (install.isEnterpriseInstall || !team) {
        throw new CodedError(
          "slack_install_unsupported",
          "org-wide (Enterprise Grid) installs are not supported: install into each workspace",
          { expected: true },
        );
      }
      if (!bot) {
        throw new CodedError(
          "slack_install_unsupported",
          "the install has no bot token (bot scopes missing)",
          {
            expected: true,
          },
        );
      }
      if (bot.refreshToken) {
        throw new CodedError(
          "slack_install_unsupported",
          "token rotation is on for this app: turn it off (settings.token_rotation_enabled: false)",
          { expected: true },
        );
      }
      const fields = {
        name: team.name ?? "",
        enterpriseId: install.enterprise?.id ?? null,
        botUserId: bot.userId,
        botId: bot.id,
        botTokenSealed: sealer.seal(bot.token),
        scopes: bot.scopes.join(","),
        installedBy: install.user.id || null,
      };
      await database.workspace.upsert({
        where: { id: team.id },
        create: { id: team.id, ...fields },
        update: fields,
      });
      logger.info(
        {
          workspaceId: team.id,
          workspaceName: fields.name,
          scopes: fields.scopes,
          installedBy: fields.installedBy,
        },
        "slack app installed",
      );
    },

    async fetchInstallation(query) {
      return installation(await resolve(query.teamId));
    },

    async deleteInstallation(query) {
      // Only bot tokens are kept: a user's revoked token (query.userId) leaves the install alone.
      if (!query.teamId || query.userId) return;
      const result = await database.workspace.updateMany({
        where: { id: query.teamId },
        data: { botTokenSealed: null, scopes: "" },
      });
      if (result.count > 0) logger.info({ workspaceId: query.teamId }, "slack app uninstalled");
    },

    async botToken(workspaceId) {
      return (await resolve(workspaceId)).token;
    },
  };
}

interface Resolved {
  identity: TokenIdentity;
  token: string;
  scopes: string[];
  installedBy: string;
}

function installation({ identity, token, scopes, installedBy }: Resolved): Installation<"v2", false> {
  return {
    team: { id: identity.teamId, name: identity.teamName },
    enterprise: undefined,
    user: { id: installedBy, token: undefined, scopes: undefined },
    bot: { token, scopes, id: identity.botId, userId: identity.botUserId },
    tokenType: "bot",
    isEnterpriseInstall: false,
    authVersion: "v2",
  };
}

/**
 * Who a bot token belongs to, asked once with auth.test and remembered; a failed call is retried
 * on the next request instead of being remembered.
 */
export function identifyBotToken(options: {
  apiUrl: string;
  botToken: string;
}): () => Promise<TokenIdentity> {
  const client = new webApi.WebClient(options.botToken, {
    slackApiUrl: options.apiUrl,
    logLevel: webApi.LogLevel.ERROR,
  });
  const lookup = async (): Promise<TokenIdentity> => {
    const result = await client.auth.test();
    if (!result.team_id || !result.bot_id || !result.user_id) {
      throw new CodedError("slack_api", "auth.test did not name the token's workspace and bot");
    }
    return { teamId: result.team_id, teamName: result.team, botId: result.bot_id, botUserId: result.user_id };
  };
  let known: Promise<TokenIdentity> | undefined;
  return () => {
    known ??= lookup().catch((error: unknown) => {
      known = undefined;
      throw error;
    });
    return known;
  };
}
