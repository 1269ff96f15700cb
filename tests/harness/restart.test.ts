import type { ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SlackEmulator, startSlackEmulator } from "../../src/emulator/index.js";
import { type LocalRedis, startRedis } from "../../src/local/redis.js";
import { publishCancel } from "../../src/queue/cancellation.js";
import { redisConnection } from "../../src/queue/connection.js";
import { createQueues, type Queues } from "../../src/queue/queues.js";
import { createRun, enqueueRun } from "../../src/slack/intake.js";
import type { Database } from "../../src/storage/database.js";
import { type EffectStandIn, startEffectStandIn } from "../support/effect-stand-in.js";
import { type FakeModelServer, startFakeModelServer } from "../support/fake-model-server.js";
import { kill, startWorkerProcess } from "../support/processes.js";
import { appEnvironment, testDatabase, testQueuePrefix } from "../support/stack.js";

/**
 * Parked runs and cancellation across real processes: a run waiting for approval survives a restart
 * of every process (workers and Redis, with its append-only file), and a cancel reaches the worker
 * process that holds a run within 2 seconds.
 */
describe("across restarts and processes", () => {
  let slack: SlackEmulator;
  let model: FakeModelServer;
  let standIn: EffectStandIn;
  let database: Database;
  let redis: LocalRedis;
  let redisDirectory: string;
  let env: Record<string, string>;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    slack = await startSlackEmulator({ rateLimits: false });
    model = await startFakeModelServer({
      reply: (body) => {
        const text = JSON.stringify(body.messages);
        if (text.includes("wait forever")) return { hang: true };
        if (!body.messages.some((message) => message.role === "tool")) {
          return { toolCalls: [{ name: "record_effect", arguments: { n: 1 } }] };
        }
        return { text: "The effect is recorded." };
      },
    });
    standIn = await startEffectStandIn();
    redisDirectory = mkdtempSync(join(tmpdir(), "coworker-redis-"));
    chmodSync(redisDirectory, 0o755);
    redis = await startRedis({ dataDirectory: redisDirectory });
    const created = await testDatabase();
    database = created.database;
    env = {
      ...appEnvironment({ databaseUrl: created.url, slack, model }),
      REDIS_URL: redis.url,
      QUEUE_PREFIX: testQueuePrefix(),
      LLM_TIMEOUT_MS: "60000",
      STAND_IN_URL: standIn.url,
      TEST_APPROVAL: "1",
      TEST_LOCK_MS: "3000",
    };
  });

  afterAll(async () => {
    for (const child of children) await kill(child);
    await redis?.stop();
    rmSync(redisDirectory, { recursive: true, force: true });
    await database?.$disconnect();
    await Promise.all([slack?.close(), model?.close(), standIn?.close()]);
  });

  async function newRun(text: string): Promise<{ runId: string; ts: string; channel: string }> {
    const posted = await slack.post({ user: slack.users.alice, channel: slack.channels.general, text });
    const runId = await createRun(
      database,
      { workspaceId: slack.teamId, channel: posted.channel, user: slack.users.alice.id, text, ts: posted.ts },
      posted.ts,
      "mention",
    );
    return { runId, ts: posted.ts, channel: posted.channel };
  }

  async function withQueues<T>(use: (queues: Queues) => Promise<T>): Promise<T> {
    const queues = createQueues(redisConnection(redis.url), env.QUEUE_PREFIX!);
    try {
      return await use(queues);
    } finally {
      await queues.close();
    }
  }

  it("resumes a run parked on approval after every process restarts", async () => {
    const first = await startWorkerProcess(env);
    children.push(first);
    const { runId, ts, channel } = await newRun("record an effect, after asking");
    await withQueues((queues) => enqueueRun(queues, runId, "start"));
    await expect
      .poll(async () => (await database.run.findUniqueOrThrow({ where: { id: runId } })).status, {
        timeout: 20_000,
      })
      .toBe("waiting_approval");
    const approval = await database.approval.findFirstOrThrow({ where: { runId } });
    expect(approval.status).toBe("pending");
    expect(slack.thread(channel, ts).some((message) => message.text.includes("waiting for"))).toBe(true);
    expect(standIn.counts.size).toBe(0);

    // Everything goes down: the worker is killed and Redis restarts from its append-only file.
    await kill(first, "SIGKILL");
    const port = redis.port;
    await redis.stop();
    redis = await startRedis({ dataDirectory: redisDirectory, port });
    const second = await startWorkerProcess(env);
    children.push(second);

    // The decision arrives (as the approval handler records it) and the run continues.
    await database.approval.update({
      where: { id: approval.id },
      data: { status: "approved", decidedBy: slack.users.alice.id, decidedAt: new Date() },
    });
    await withQueues((queues) => enqueueRun(queues, runId, `approval-${approval.id}`));
    await expect
      .poll(async () => (await database.run.findUniqueOrThrow({ where: { id: runId } })).status, {
        timeout: 20_000,
      })
      .toBe("completed");
    expect([...standIn.counts.values()]).toEqual([1]);
    expect(
      slack.thread(channel, ts).filter((message) => message.text.includes("The effect is recorded.")),
    ).toHaveLength(1);
  }, 90_000);

  it("cancels a run on the worker process that holds it within 2 seconds", async () => {
    const worker = await startWorkerProcess(env);
    children.push(worker);
    const { runId } = await newRun("wait forever");
    await withQueues((queues) => enqueueRun(queues, runId, "start"));
    await expect
      .poll(() => model.requests.some((request) => JSON.stringify(request.body).includes("wait forever")), {
        timeout: 20_000,
      })
      .toBe(true);

    const publisher = new Redis(redis.url);
    const started = Date.now();
    await database.run.update({ where: { id: runId }, data: { cancelRequestedAt: new Date() } });
    await publishCancel(publisher, env.QUEUE_PREFIX!, runId);
    await expect
      .poll(async () => (await database.run.findUniqueOrThrow({ where: { id: runId } })).status, {
        timeout: 2000,
        interval: 50,
      })
      .toBe("cancelled");
    expect(Date.now() - started).toBeLessThan(2000);
    publisher.disconnect();
  }, 60_000);
});
