import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SlackEmulator, startSlackEmulator } from "../../src/emulator/index.js";
import { redisConnection } from "../../src/queue/connection.js";
import { createQueues, type Queues } from "../../src/queue/queues.js";
import { createRun, enqueueRun } from "../../src/slack/intake.js";
import type { Database } from "../../src/storage/database.js";
import { type EffectStandIn, startEffectStandIn } from "../support/effect-stand-in.js";
import {
  type FakeModelServer,
  type FakeRequestBody,
  startFakeModelServer,
} from "../support/fake-model-server.js";
import { kill, startWorkerProcess } from "../support/processes.js";
import { appEnvironment, redisUrl, testDatabase, testQueuePrefix } from "../support/stack.js";

/**
 * Durability against real process deaths: worker processes are SIGKILLed at random steps of a run
 * that has side effects, and the run still finishes with every effect executed exactly once (counted
 * at the receiving stand-in), every completed model call made once, and one final answer.
 */
const effects = 8;

/** The model asks for effect n+1 after seeing n results, then answers. Each answer is unique per request. */
function modelReply(body: FakeRequestBody, call: { index: number }) {
  const results = body.messages.filter((message) => message.role === "tool").length;
  if (results < effects) {
    return {
      toolCalls: [{ name: "record_effect", arguments: { n: results + 1 } }],
      text: `request ${call.index}`,
      delayMs: 30,
    };
  }
  return { text: `All ${effects} effects recorded (request ${call.index}).` };
}

describe("resume after SIGKILL", () => {
  let slack: SlackEmulator;
  let model: FakeModelServer;
  let standIn: EffectStandIn;
  let database: Database;
  let queues: Queues;
  let env: Record<string, string>;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    slack = await startSlackEmulator({ rateLimits: false });
    model = await startFakeModelServer({ reply: modelReply });
    standIn = await startEffectStandIn();
    const created = await testDatabase();
    database = created.database;
    const prefix = testQueuePrefix();
    queues = createQueues(redisConnection(redisUrl()), prefix);
    env = {
      ...appEnvironment({ databaseUrl: created.url, slack, model }),
      REDIS_URL: redisUrl(),
      QUEUE_PREFIX: prefix,
      STAND_IN_URL: standIn.url,
      TEST_LOCK_MS: "2000",
      TEST_STALLED_MS: "1000",
    };
  });

  afterAll(async () => {
    for (const child of children) await kill(child);
    await queues?.close();
    await database?.$disconnect();
    await Promise.all([slack?.close(), model?.close(), standIn?.close()]);
  });

  it("continues from the last checkpoint on another worker, repeating no completed call", async () => {
    const posted = await slack.post({
      user: slack.users.alice,
      channel: slack.channels.general,
      text: "record the effects",
    });
    const runId = await createRun(
      database,
      {
        workspaceId: slack.teamId,
        channel: posted.channel,
        user: slack.users.alice.id,
        text: posted.message.text,
        ts: posted.ts,
      },
      posted.ts,
      "mention",
    );
    await enqueueRun(queues, runId, "start");

    // Kill two workers, each at a random step, then let a third finish.
    const killedAt: number[] = [];
    for (let round = 0; round < 2; round++) {
      const child = await startWorkerProcess(env);
      children.push(child);
      const current = await database.step.count({ where: { runId } });
      const target = current + 1 + Math.floor(Math.random() * 4);
      await expect
        .poll(() => database.step.count({ where: { runId } }), { timeout: 30_000, interval: 20 })
        .toBeGreaterThanOrEqual(target);
      killedAt.push(await database.step.count({ where: { runId } }));
      await kill(child, "SIGKILL");
    }
    const survivor = await startWorkerProcess(env);
    children.push(survivor);
    await expect
      .poll(async () => (await database.run.findUniqueOrThrow({ where: { id: runId } })).status, {
        timeout: 60_000,
        interval: 100,
      })
      .toBe("completed");

    // Every effect happened exactly once at the receiving end.
    expect([...standIn.counts.keys()]).toHaveLength(effects);
    expect([...standIn.counts.values()].every((count) => count === 1)).toBe(true);

    // The trace has one row per step: 8 tool results and 9 model turns, no duplicates.
    const steps = await database.step.findMany({ where: { runId }, orderBy: { index: "asc" } });
    expect(steps.map((step) => step.index)).toEqual(
      Array.from({ length: 2 * effects + 1 }, (_, index) => index + 1),
    );
    expect(steps.filter((step) => step.kind === "model")).toHaveLength(effects + 1);

    // A model request repeated after a kill must be one whose answer was never committed: the
    // checkpointed answer for each turn is always the last request made for that turn.
    const requestsByTurn = new Map<number, number[]>();
    for (const request of model.requests) {
      const turn = request.body.messages.filter((message) => message.role === "tool").length;
      requestsByTurn.set(turn, [...(requestsByTurn.get(turn) ?? []), request.index]);
    }
    for (const step of steps.filter((item) => item.kind === "model")) {
      const text = String((step.data as { text: string }).text);
      const index = Number(text.match(/request (\d+)/)?.[1]);
      const turn = steps.filter((item) => item.kind === "tool" && item.index < step.index).length;
      expect(requestsByTurn.get(turn)?.at(-1)).toBe(index);
    }

    // One final answer in the thread.
    const finals = slack
      .thread(posted.channel, posted.ts)
      .filter((message) => message.text.includes("effects recorded"));
    expect(finals).toHaveLength(1);
    expect(killedAt.length).toBe(2);
  }, 120_000);
});
