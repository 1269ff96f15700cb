import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SlackEmulator, startSlackEmulator } from "../../src/emulator/index.js";
import type { Database } from "../../src/storage/database.js";
import { type FakeModelServer, startFakeModelServer } from "../support/fake-model-server.js";
import {
  type RoleProcess,
  startToolWorkerProcess,
  startWebProcess,
  stopRoleProcess,
} from "../support/role-processes.js";
import { redisUrl, testDatabase, testQueuePrefix } from "../support/stack.js";

/**
 * Secrets planted in a run never come out the other side. The app runs as in production (web and
 * worker processes, configuration from the environment, LOG_LEVEL=trace); the Slack bot token, the
 * model API key, the encryption key and a fake API key are planted in a user's message and in a tool's
 * output. Then every log line the processes wrote, the run's trace (its Step rows) and the trajectory
 * export (`npm run trajectories:export`) are scanned for each of them.
 */
const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));

describe("planted secrets", () => {
  let slack: SlackEmulator;
  let model: FakeModelServer;
  let database: Database;
  let env: Record<string, string>;
  let web: RoleProcess;
  let worker: RoleProcess;
  let runId: string;
  let mentionTs: string;
  let exported: string;
  const directory = mkdtempSync(join(tmpdir(), "coworker-secrets-"));
  const secrets: Record<string, string> = {};

  beforeAll(async () => {
    slack = await startSlackEmulator();
    model = await startFakeModelServer({
      reply: (body) =>
        body.messages.some((message) => message.role === "tool")
          ? { text: "I read the notes and kept the credentials to myself." }
          : { toolCalls: [{ name: "read_notes", arguments: {} }] },
    });
    const created = await testDatabase();
    database = created.database;
    Object.assign(secrets, {
      "Slack bot token": slack.botToken ?? "",
      "model API key": `model-key-${randomBytes(16).toString("hex")}`,
      "encryption key": randomBytes(36).toString("base64url"),
      "fake API key (pasted by a person)": `sk-proj-${randomBytes(24).toString("base64url")}`,
    });
    env = {
      DATABASE_URL: created.url,
      REDIS_URL: redisUrl(),
      QUEUE_PREFIX: testQueuePrefix(),
      SLACK_API_URL: slack.apiUrl,
      SLACK_BOT_TOKEN: secrets["Slack bot token"]!,
      SLACK_SIGNING_SECRET: slack.signingSecret,
      ENCRYPTION_KEY: secrets["encryption key"]!,
      LLM_BASE_URL: model.url,
      LLM_MODEL: "fake-model",
      LLM_API_KEY: secrets["model API key"]!,
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "trace",
      PLANTED_SECRETS: JSON.stringify(Object.values(secrets)),
    };
    web = await startWebProcess(env, { captureOutput: true });
    slack.setRequestUrl(`${web.ready.url}/slack/events`);
    worker = await startToolWorkerProcess(
      fileURLToPath(new URL("./planted-secret-tools.ts", import.meta.url)),
      env,
      {
        captureOutput: true,
      },
    );

    const planted = Object.values(secrets).join(" and ");
    const posted = await slack.mention({
      user: slack.users.alice,
      channel: slack.channels.general,
      text: `Here are the credentials: ${planted}. Read the notes, please.`,
    });
    await slack.waitForMessage(
      { channel: posted.channel, threadTs: posted.ts, contains: "kept the credentials to myself" },
      30_000,
    );
    mentionTs = posted.ts;
    const stored = await database.run.findFirstOrThrow({ where: { triggerTs: posted.ts } });
    runId = stored.id;
    for (let waited = 0; waited < 10_000; waited += 100) {
      if ((await database.run.findUniqueOrThrow({ where: { id: runId } })).status === "completed") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const out = join(directory, "trajectories.jsonl");
    await run(process.execPath, ["--import", "tsx", "src/trace/export.ts", "--out", out], {
      cwd: root,
      env: { ...process.env, ...env },
    });
    exported = readFileSync(out, "utf8");
    // SIGTERM: the processes shut down the way they do in production, flushing their logs.
    await Promise.all([stopRoleProcess(web, "SIGTERM"), stopRoleProcess(worker, "SIGTERM")]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([web && stopRoleProcess(web), worker && stopRoleProcess(worker)]);
    await database?.$disconnect();
    await Promise.all([slack?.close(), model?.close()]);
    rmSync(directory, { recursive: true, force: true });
  });

  /** Which planted secrets appear in `text` (raw or JSON-escaped). */
  function leaked(text: string): string[] {
    return Object.entries(secrets)
      .filter(([, secret]) => text.includes(secret) || text.includes(JSON.stringify(secret).slice(1, -1)))
      .map(([name]) => name);
  }

  it("reached the places it scans: the model saw the secrets, the logs and the export are not empty", () => {
    const sent = JSON.stringify(model.requests.map((request) => request.body.messages));
    expect(leaked(sent).sort()).toEqual(Object.keys(secrets).sort());
    // The web role logged the mention it took (at debug); the worker logs little on a good run.
    expect(web.output()).toContain(mentionTs);
    expect(exported).toContain(runId);
  });

  it("keeps every planted secret out of the logs", () => {
    expect(leaked(web.output())).toEqual([]);
    expect(leaked(worker.output())).toEqual([]);
  });

  it("keeps every planted secret out of the run's trace (its Step rows)", async () => {
    const steps = await database.step.findMany({ where: { runId } });
    expect(steps.map((step) => step.kind).sort()).toEqual(["model", "model", "tool"]);
    expect(leaked(JSON.stringify(steps))).toEqual([]);
  });

  it("keeps every planted secret out of the exported trajectories", () => {
    expect(leaked(exported)).toEqual([]);
  });
});
