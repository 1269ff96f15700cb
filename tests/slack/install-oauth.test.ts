import { createServer } from "node:net";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type CreatedWorkspace, type SlackEmulator, startSlackEmulator } from "../../src/emulator/index.js";
import { isCodedError } from "../../src/errors.js";
import { createLogger } from "../../src/logger.js";
import { type Running, start } from "../../src/main.js";
import { createServices } from "../../src/services.js";
import { createSlackApp } from "../../src/slack/app.js";
import { createSlackClients } from "../../src/slack/clients.js";
import { botScopes, workspaceInstallations } from "../../src/slack/install.js";
import type { Database } from "../../src/storage/database.js";
import { type FakeModelServer, startFakeModelServer } from "../support/fake-model-server.js";
import { postSignedToApp } from "../support/slack-request.js";
import { appEnvironment, testConfig, testDatabase } from "../support/stack.js";

/**
 * Multi-workspace end to end, on real parts: the app runs with SLACK_BOT_TOKEN (workspace A) and
 * SLACK_CLIENT_ID/SECRET. A second workspace (B) installs it through the OAuth redirect flow over
 * HTTP (app /slack/install -> emulator /oauth/v2/authorize -> app /slack/oauth_redirect ->
 * oauth.v2.access). A mention in B is then answered with B's token, A keeps working with its own,
 * and neither workspace's runs read the other's data. Everything the app logs is captured: no token
 * may appear in it.
 */
let slack: SlackEmulator;
let second: CreatedWorkspace;
let model: FakeModelServer;
let database: Database;
let running: Running;
let publicUrl: string;
const logLines: string[] = [];
const consoleLines: string[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

function cookieValue(response: Response, name: string): string | undefined {
  const cookie = response.headers.getSetCookie().find((item) => item.startsWith(`${name}=`));
  return cookie?.split(";")[0]?.slice(name.length + 1);
}

beforeAll(async () => {
  for (const level of ["debug", "info", "warn", "error", "log"] as const) {
    vi.spyOn(console, level).mockImplementation((...parts: unknown[]) => {
      consoleLines.push(parts.map((part) => (part instanceof Error ? part.stack : String(part))).join(" "));
    });
  }
  slack = await startSlackEmulator();
  model = await startFakeModelServer({
    reply: (body) => {
      const asked = body.messages.filter((message) => message.role === "user").at(-1)?.content;
      return { text: `Answer for: ${typeof asked === "string" ? asked : JSON.stringify(asked)}` };
    },
  });
  const created = await testDatabase();
  database = created.database;
  const port = await freePort();
  publicUrl = `http://127.0.0.1:${port}`;
  const config = testConfig({
    ...appEnvironment({ databaseUrl: created.url, slack, model }),
    SLACK_CLIENT_ID: slack.clientId,
    SLACK_CLIENT_SECRET: slack.clientSecret,
    PORT: String(port),
    PUBLIC_URL: publicUrl,
    LOG_LEVEL: "trace",
  });
  const logger = createLogger(
    "trace",
    new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    }),
  );
  running = await start(config, createServices(config, { logger }));
  slack.setRequestUrl(`${running.webUrl}/slack/events`);
  second = await slack.createWorkspace({ name: "Second Workspace", install: "oauth" });
});

afterAll(async () => {
  await running?.stop();
  await database?.$disconnect();
  await model?.close();
  await slack?.close();
  vi.restoreAllMocks();
});

async function ask(
  workspace: SlackEmulator | CreatedWorkspace,
  text: string,
  threadTs?: string,
): Promise<{ ts: string; answerBotId: string | undefined }> {
  const user = workspace.users.alice;
  const channel = workspace.channels.general;
  const posted = threadTs
    ? await workspace.reply({ user, channel, threadTs, text: `<@${workspace.botUserId}> ${text}` })
    : await workspace.mention({ user, channel, text });
  const answer = await workspace.waitForMessage(
    { channel, threadTs: threadTs ?? posted.ts, contains: `Answer for: ${text}` },
    15_000,
  );
  return { ts: posted.ts, answerBotId: answer.botId };
}

describe("installing into a second workspace over OAuth", () => {
  let installedToken: string;

  it("runs the redirect flow: /slack/install -> Slack's authorize page -> /slack/oauth_redirect", async () => {
    const install = await fetch(`${running.webUrl}/slack/install`, { redirect: "manual" });
    expect(install.status).toBe(302);
    const authorize = new URL(install.headers.get("location") ?? "");
    expect(`${authorize.origin}${authorize.pathname}`).toBe(slack.authorizeUrl);
    expect(authorize.searchParams.get("client_id")).toBe(slack.clientId);
    expect(authorize.searchParams.get("scope")?.split(",")).toEqual(botScopes);
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${publicUrl}/slack/oauth_redirect`);
    const state = authorize.searchParams.get("state") ?? "";
    expect(state).not.toBe("");
    expect(cookieValue(install, "slack-app-oauth-state")).toBe(state);

    const consent = await fetch(authorize, { redirect: "manual" });
    expect(consent.status).toBe(302);
    const callback = new URL(consent.headers.get("location") ?? "");
    expect(`${callback.origin}${callback.pathname}`).toBe(`${publicUrl}/slack/oauth_redirect`);
    expect(callback.searchParams.get("state")).toBe(state);
    expect(callback.searchParams.get("code")).toBeTruthy();
    const local = `${running.webUrl}${callback.pathname}${callback.search}`;

    // Without the browser's state cookie (another browser, a forged link) nothing is installed.
    const forged = await fetch(local, { redirect: "manual" });
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain("slack_oauth_invalid_state");
    expect(await database.workspace.findUnique({ where: { id: second.teamId } })).toBeNull();
    expect(slack.callsTo("oauth.v2.access")).toHaveLength(0);

    const finished = await fetch(local, {
      redirect: "manual",
      headers: { cookie: `slack-app-oauth-state=${state}` },
    });
    expect(finished.status).toBe(200);
    expect(await finished.text()).toContain("Thank you!");
    expect(slack.callsTo("oauth.v2.access")).toHaveLength(1);
    installedToken = second.botToken ?? "";
    expect(installedToken).toMatch(/^xoxb-/);
  });

  it("stores the install on the workspace row with the token sealed, never in plain text", async () => {
    const row = await database.workspace.findUniqueOrThrow({ where: { id: second.teamId } });
    expect(row).toMatchObject({
      name: "Second Workspace",
      botUserId: second.botUserId,
      botId: second.botId,
      installedBy: second.users.alice.id,
    });
    expect(row.scopes.split(",").length).toBeGreaterThan(0);
    expect(row.botTokenSealed).toMatch(/^v1\./);
    expect(row.botTokenSealed).not.toContain(installedToken);
    expect(row.botTokenSealed).not.toContain(installedToken.slice(5));
    expect(running.services.sealer.unseal(row.botTokenSealed ?? "")).toBe(installedToken);
  });

  it("answers a mention in the second workspace with the second workspace's token", async () => {
    const before = slack.apiCalls.length;
    const { ts, answerBotId } = await ask(second, "bravo question");
    expect(answerBotId).toBe(second.botId);
    // Bolt authorized the event from B's install: its bot user id was stripped from the text.
    const run = await database.run.findFirstOrThrow({ where: { workspaceId: second.teamId, triggerTs: ts } });
    expect(run.prompt).toBe("bravo question");
    const posts = slack.apiCalls
      .slice(before)
      .filter((call) => call.method === "chat.postMessage" || call.method === "chat.update");
    expect(posts.length).toBeGreaterThan(0);
    for (const call of posts) expect(call.teamId).toBe(second.teamId);
  });

  it("keeps answering the first workspace with the configured token", async () => {
    const before = slack.apiCalls.length;
    const { answerBotId } = await ask(slack, "alpha question");
    expect(answerBotId).toBe(slack.botId);
    const posts = slack.apiCalls.slice(before).filter((call) => call.method === "chat.postMessage");
    for (const call of posts) expect(call.teamId).toBe(slack.teamId);
  });

  it("keeps each workspace's tasks, runs and thread messages apart", async () => {
    const alpha = await database.task.findFirstOrThrow({ where: { title: "alpha question" } });
    const bravo = await database.task.findFirstOrThrow({ where: { title: "bravo question" } });
    expect(alpha.workspaceId).toBe(slack.teamId);
    expect(bravo.workspaceId).toBe(second.teamId);
    expect(
      await database.run.count({ where: { taskId: alpha.id, workspaceId: { not: slack.teamId } } }),
    ).toBe(0);
    expect(
      await database.run.count({ where: { taskId: bravo.id, workspaceId: { not: second.teamId } } }),
    ).toBe(0);

    // A Slack Connect channel has the same channel id in both workspaces: plant B's copy of a
    // message in A's thread. A run in A must read A's thread only.
    await database.threadMessage.create({
      data: {
        workspaceId: second.teamId,
        channel: alpha.channel,
        threadTs: alpha.threadTs,
        ts: alpha.threadTs,
        userId: second.users.bob.id,
        text: "bravo-secret from the other workspace",
      },
    });
    const requestsBefore = model.requests.length;
    await ask(slack, "alpha follow-up", alpha.threadTs);
    const followUp = model.requests
      .slice(requestsBefore)
      .map((request) => request.raw)
      .find((raw) => raw.includes("alpha follow-up"));
    expect(followUp).toBeDefined();
    expect(followUp).toContain("Answer for: alpha question");
    expect(followUp).not.toContain("bravo");
    const alphaMessages = await database.threadMessage.findMany({
      where: { workspaceId: slack.teamId, threadTs: alpha.threadTs },
    });
    expect(alphaMessages.some((message) => message.text.includes("bravo"))).toBe(false);
    expect(alphaMessages.length).toBeGreaterThan(0);
  });

  it("forgets the second workspace's token when the app is uninstalled there", async () => {
    const body = JSON.stringify({
      token: slack.verificationToken,
      team_id: second.teamId,
      api_app_id: slack.appId,
      event: { type: "app_uninstalled" },
      type: "event_callback",
      event_id: "EvUNINSTALL1",
      event_time: Math.floor(Date.now() / 1000),
    });
    const response = await postSignedToApp(running.webUrl!, slack.signingSecret, body);
    expect(response.status).toBe(200);
    await expect
      .poll(
        async () =>
          (await database.workspace.findUniqueOrThrow({ where: { id: second.teamId } })).botTokenSealed,
      )
      .toBeNull();

    // Bolt no longer authorizes B's events, and the worker has no client for B (never A's token).
    const tasksBefore = await database.task.count({ where: { workspaceId: second.teamId } });
    await second.mention({
      user: second.users.alice,
      channel: second.channels.general,
      text: "still there?",
    });
    await slack.idle();
    expect(await database.task.count({ where: { workspaceId: second.teamId } })).toBe(tasksBefore);
    const services = running.services;
    const clients = createSlackClients({
      apiUrl: services.config.slack.apiUrl,
      botToken: services.config.slack.botToken,
      database: services.database,
      installations: workspaceInstallations(services),
    });
    const error = await clients.forWorkspace(second.teamId).catch((caught: unknown) => caught);
    expect(isCodedError(error, "slack_not_installed")).toBe(true);
  });

  it("never logs a token or the client secret", () => {
    const everything = [...logLines, ...consoleLines].join("\n");
    expect(everything).toContain("slack app installed");
    expect(everything).toContain(second.teamId);
    for (const secret of [installedToken, slack.botToken ?? "", slack.clientSecret]) {
      expect(secret.length).toBeGreaterThan(10);
      expect(everything).not.toContain(secret);
    }
  });

  it("builds the Socket Mode app with the same OAuth options", () => {
    const services = running.services;
    const socketMode = {
      ...services,
      config: { ...services.config, slack: { ...services.config.slack, appToken: "xapp-1-socket-mode" } },
    };
    expect(() => createSlackApp(socketMode, [])).not.toThrow();
  });
});
