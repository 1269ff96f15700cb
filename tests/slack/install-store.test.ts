import { Writable } from "node:stream";
import type { Installation } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SlackEmulator, startSlackEmulator } from "../../src/emulator/index.js";
import { isCodedError } from "../../src/errors.js";
import { createLogger } from "../../src/logger.js";
import { createSealer } from "../../src/security/seal.js";
import { deriveKey } from "../../src/security/signing.js";
import { createSlackClients } from "../../src/slack/clients.js";
import { authorizationUrl, botScopes, slackOAuthOptions } from "../../src/slack/install.js";
import { createInstallationStore, identifyBotToken } from "../../src/slack/installations.js";
import type { Database } from "../../src/storage/database.js";
import { testConfig, testDatabase, testEncryptionKey } from "../support/stack.js";

/**
 * The installation store on a real Postgres, with auth.test answered by the Slack emulator: OAuth
 * installs are sealed Workspace rows, the configured token serves only its own workspace, and the
 * worker's Slack clients take tokens from the same store.
 */
let database: Database;
let slack: SlackEmulator;
const sealer = createSealer(deriveKey(testEncryptionKey, "seal"));
const lines: string[] = [];
const logger = createLogger(
  "trace",
  new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  }),
);

beforeAll(async () => {
  ({ database } = await testDatabase());
  slack = await startSlackEmulator();
});
afterAll(async () => {
  await database?.$disconnect();
  await slack?.close();
});

function oauthInstall(teamId: string, token: string, extra: Partial<Installation> = {}): Installation {
  return {
    team: { id: teamId, name: `Team ${teamId}` },
    enterprise: undefined,
    user: { id: "UINSTALLER", token: undefined, scopes: undefined },
    bot: { token, scopes: ["chat:write", "app_mentions:read"], id: `B${teamId}`, userId: `U${teamId}` },
    tokenType: "bot",
    isEnterpriseInstall: false,
    appId: "A1",
    authVersion: "v2",
    ...extra,
  } as Installation;
}

const query = (teamId: string) => ({ teamId, enterpriseId: undefined, isEnterpriseInstall: false as const });

describe("installation store", () => {
  it("keeps an OAuth install sealed in the workspace row and gives Bolt the token back", async () => {
    const store = createInstallationStore({ database, sealer, logger });
    const token = "xoxb-team-one-secret-token";
    await store.storeInstallation(oauthInstall("TONE", token));

    const row = await database.workspace.findUniqueOrThrow({ where: { id: "TONE" } });
    expect(row.botTokenSealed).toBeTruthy();
    expect(row.botTokenSealed).not.toContain(token);
    expect(row.botTokenSealed).not.toContain(Buffer.from(token).toString("base64"));
    expect(sealer.unseal(row.botTokenSealed ?? "")).toBe(token);
    expect(row).toMatchObject({
      name: "Team TONE",
      botId: "BTONE",
      botUserId: "UTONE",
      installedBy: "UINSTALLER",
      scopes: "chat:write,app_mentions:read",
    });

    const fetched = await store.fetchInstallation(query("TONE"));
    expect(fetched.bot).toEqual({
      token,
      scopes: ["chat:write", "app_mentions:read"],
      id: "BTONE",
      userId: "UTONE",
    });
    expect(fetched.team).toEqual({ id: "TONE", name: "Team TONE" });
    expect(await store.botToken("TONE")).toBe(token);
    expect(lines.join("")).toContain("slack app installed");
    expect(lines.join("")).not.toContain(token);
  });

  it("replaces the token on reinstall and keeps the workspace's tasks and policy", async () => {
    const store = createInstallationStore({ database, sealer, logger });
    await database.workspace.update({ where: { id: "TONE" }, data: { policy: { approvers: ["U1"] } } });
    await database.task.create({
      data: { workspaceId: "TONE", channel: "C1", threadTs: "1.1", requesterId: "U1", source: "mention" },
    });
    await store.storeInstallation(oauthInstall("TONE", "xoxb-team-one-new-token"));
    expect(await store.botToken("TONE")).toBe("xoxb-team-one-new-token");
    expect(await database.task.count({ where: { workspaceId: "TONE" } })).toBe(1);
    const row = await database.workspace.findUniqueOrThrow({ where: { id: "TONE" } });
    expect(row.policy).toEqual({ approvers: ["U1"] });
  });

  it("refuses org-wide installs, installs without a bot, and rotating tokens, storing nothing", async () => {
    const store = createInstallationStore({ database, sealer, logger });
    const cases: Installation[] = [
      {
        ...oauthInstall("TORG", "xoxb-org"),
        team: undefined,
        enterprise: { id: "E1", name: "Org" },
        isEnterpriseInstall: true,
      } as Installation,
      { ...oauthInstall("TNOBOT", "unused"), bot: undefined },
      oauthInstall("TROTATE", "xoxe.xoxb-rotating", {
        bot: {
          token: "xoxe.xoxb-rotating",
          refreshToken: "xoxe-1-refresh",
          expiresAt: 1,
          scopes: [],
          id: "B",
          userId: "U",
        },
      }),
    ];
    for (const install of cases) {
      const error = await store.storeInstallation(install).catch((caught: unknown) => caught);
      expect(isCodedError(error, "slack_install_unsupported")).toBe(true);
    }
    expect(await database.workspace.count({ where: { id: { in: ["TORG", "TNOBOT", "TROTATE"] } } })).toBe(0);
  });

  it("serves the configured token only to the workspace it belongs to", async () => {
    const configuredToken = slack.botToken ?? "";
    const store = createInstallationStore({
      database,
      sealer,
      logger,
      configured: {
        botToken: configuredToken,
        identify: identifyBotToken({ apiUrl: slack.apiUrl, botToken: configuredToken }),
      },
    });
    const found = await store.fetchInstallation(query(slack.teamId));
    expect(found.bot).toMatchObject({ token: configuredToken, id: slack.botId, userId: slack.botUserId });
    expect(found.team?.id).toBe(slack.teamId);

    const error = await store.fetchInstallation(query("TELSEWHERE")).catch((caught: unknown) => caught);
    expect(isCodedError(error, "slack_not_installed")).toBe(true);
    expect(String((error as Error).message)).not.toContain(configuredToken);
    // Its own OAuth install wins over the configured token.
    expect(await store.botToken("TONE")).toBe("xoxb-team-one-new-token");
    // auth.test is asked once, however often Bolt authorizes.
    await store.botToken(slack.teamId);
    expect(slack.callsTo("auth.test")).toHaveLength(1);
  });

  it("forgets the bot token on uninstall, but not when only a user token is revoked", async () => {
    const store = createInstallationStore({ database, sealer, logger });
    await store.deleteInstallation({ ...query("TONE"), userId: "UINSTALLER" });
    expect(await store.botToken("TONE")).toBe("xoxb-team-one-new-token");
    await store.deleteInstallation(query("TONE"));
    const error = await store.botToken("TONE").catch((caught: unknown) => caught);
    expect(isCodedError(error, "slack_not_installed")).toBe(true);
    expect(await database.task.count({ where: { workspaceId: "TONE" } })).toBe(1);
  });

  it("gives the worker each workspace's own client, and no client where the app is not installed", async () => {
    const second = await slack.createWorkspace({ name: "Second", install: "direct" });
    const store = createInstallationStore({ database, sealer, logger });
    await store.storeInstallation(
      oauthInstall(second.teamId, second.botToken ?? "", {
        bot: { token: second.botToken ?? "", scopes: [], id: second.botId, userId: second.botUserId },
      }),
    );
    const clients = createSlackClients({
      apiUrl: slack.apiUrl,
      botToken: slack.botToken,
      database,
      unseal: sealer.unseal,
      installations: createInstallationStore({
        database,
        sealer,
        logger,
        configured: {
          botToken: slack.botToken ?? "",
          identify: identifyBotToken({ apiUrl: slack.apiUrl, botToken: slack.botToken ?? "" }),
        },
      }),
    });
    const secondClient = await clients.forWorkspace(second.teamId);
    expect((await secondClient.auth.test()).team_id).toBe(second.teamId);
    const firstClient = await clients.forWorkspace(slack.teamId);
    expect((await firstClient.auth.test()).team_id).toBe(slack.teamId);
    // Uninstalled (TONE) and unknown workspaces never borrow the configured workspace's token.
    for (const workspaceId of ["TONE", "TUNKNOWN"]) {
      const error = await clients.forWorkspace(workspaceId).catch((caught: unknown) => caught);
      expect(isCodedError(error, "slack_not_installed")).toBe(true);
    }
  });
});

describe("OAuth options for Bolt", () => {
  const services = (values: Record<string, string>) => {
    const config = testConfig(values);
    return {
      config,
      database,
      sealer,
      logger,
      keys: { oauthState: deriveKey(testEncryptionKey, "oauth-state") },
    };
  };

  it("are off without a client id (single-workspace mode)", () => {
    expect(slackOAuthOptions(services({ SLACK_BOT_TOKEN: "xoxb-1" }))).toBeUndefined();
  });

  it("use the public URL for the redirect, Slack's authorize page next to its API, and every bot scope", () => {
    const options = slackOAuthOptions(
      services({
        SLACK_CLIENT_ID: "111.222",
        SLACK_CLIENT_SECRET: "client-secret",
        PUBLIC_URL: "https://coworker.example.com/",
      }),
    );
    expect(options?.redirectUri).toBe("https://coworker.example.com/slack/oauth_redirect");
    expect(options?.installerOptions.authorizationUrl).toBe("https://slack.com/oauth/v2/authorize");
    expect(options?.installerOptions).toMatchObject({
      installPath: "/slack/install",
      redirectUriPath: "/slack/oauth_redirect",
    });
    expect(options?.scopes).toEqual(botScopes);
    // The state secret is its own key: stable, and not the OAuth-state key or ENCRYPTION_KEY itself.
    const again = slackOAuthOptions(
      services({ SLACK_CLIENT_ID: "1", SLACK_CLIENT_SECRET: "2", PUBLIC_URL: "https://other.example.com" }),
    );
    expect(options?.stateSecret).toBe(again?.stateSecret);
    expect(options?.stateSecret).not.toBe(deriveKey(testEncryptionKey, "oauth-state").toString("base64url"));
    expect(options?.stateSecret).not.toContain(testEncryptionKey);
    expect(authorizationUrl("http://127.0.0.1:4000/api/")).toBe("http://127.0.0.1:4000/oauth/v2/authorize");
  });
});
