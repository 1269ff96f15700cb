/**
 * Retention against real Postgres: Slack event ids go after an hour, finished runs lose their data
 * after their workspace's retention (default or override) and keep a summary row, younger and
 * unfinished runs are untouched, and two replicas pruning at once share the work exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type Database } from "../../src/storage/database.js";
import { pruneExpiredData } from "../../src/storage/retention.js";
import { testDatabase } from "../support/stack.js";

const day = 24 * 60 * 60_000;
const now = Date.parse("2026-12-06T12:00:00Z");
const settings = { runDataDays: 90, slackEventMinutes: 60 };
const ago = (milliseconds: number) => new Date(now - milliseconds);

let database: Database;
let url: string;

beforeAll(async () => {
  ({ database, url } = await testDatabase());
});
afterAll(async () => {
  await database?.$disconnect();
});

let counter = 0;

/** A run with two steps, a tool call, an artifact and an approval. */
async function runWithData(
  workspaceId: string,
  status: string,
  endedAt: Date | null,
  createdAt = ago(400 * day),
) {
  counter += 1;
  const thread = `${counter}.000`;
  const task = await database.task.create({
    data: { workspaceId, channel: "C1", threadTs: thread, requesterId: "U1", source: "mention", createdAt },
  });
  const run = await database.run.create({
    data: {
      taskId: task.id,
      workspaceId,
      channel: "C1",
      triggerTs: thread,
      requesterId: "U1",
      prompt: "secret question",
      status,
      state: { messages: ["secret"] },
      inputTokens: 10,
      createdAt,
      endedAt,
    },
  });
  await database.step.createMany({
    data: [0, 1].map((index) => ({ runId: run.id, index, kind: "model", data: { text: "secret" } })),
  });
  await database.toolCall.create({
    data: {
      key: `${run.id}:1:a`,
      runId: run.id,
      step: 1,
      callId: "a",
      tool: "web_fetch",
      arguments: {},
      argumentsHash: "h",
    },
  });
  await database.artifact.create({ data: { runId: run.id, name: "page", content: "secret", size: 6 } });
  await database.approval.create({
    data: {
      runId: run.id,
      toolCallKey: `${run.id}:1:a`,
      tool: "web_fetch",
      argumentsHash: "h",
      channel: "C1",
    },
  });
  await database.threadMessage.create({
    data: {
      workspaceId,
      channel: "C1",
      threadTs: thread,
      ts: `${counter}.001`,
      text: "secret",
      createdAt: endedAt ?? createdAt,
    },
  });
  return run.id;
}

async function dataOf(runId: string) {
  const run = await database.run.findUniqueOrThrow({ where: { id: runId } });
  const task = await database.task.findUniqueOrThrow({ where: { id: run.taskId } });
  return {
    prunedAt: run.prunedAt,
    prompt: run.prompt,
    state: run.state,
    inputTokens: run.inputTokens,
    steps: await database.step.count({ where: { runId } }),
    toolCalls: await database.toolCall.count({ where: { runId } }),
    artifacts: await database.artifact.count({ where: { runId } }),
    approvals: await database.approval.count({ where: { runId } }),
    threadMessages: await database.threadMessage.count({ where: { threadTs: task.threadTs } }),
  };
}

describe("retention", () => {
  it("forgets Slack event ids once Slack can no longer retry them", async () => {
    await database.slackEvent.createMany({
      data: [
        { id: "Ev-old", workspaceId: "T1", kind: "message", receivedAt: ago(61 * 60_000) },
        { id: "Ev-young", workspaceId: "T1", kind: "message", receivedAt: ago(30 * 60_000) },
      ],
    });
    const pruned = await pruneExpiredData({ database, now: () => now }, settings);
    expect(pruned.slackEvents).toBe(1);
    expect((await database.slackEvent.findMany()).map((event) => event.id)).toEqual(["Ev-young"]);
  });

  it("deletes the data of finished runs past retention, keeps a summary, honours a workspace override", async () => {
    await database.workspace.createMany({
      data: [
        { id: "T-default", name: "Default" },
        { id: "T-week", name: "Short", runRetentionDays: 7 },
      ],
    });
    const expired = await runWithData("T-default", "completed", ago(91 * day));
    const young = await runWithData("T-default", "failed", ago(89 * day));
    const parked = await runWithData("T-default", "waiting_approval", null);
    const expiredWeek = await runWithData("T-week", "cancelled", ago(8 * day));
    const youngWeek = await runWithData("T-week", "completed", ago(6 * day));

    const pruned = await pruneExpiredData({ database, now: () => now }, settings);
    expect(pruned).toMatchObject({
      runs: 2,
      steps: 4,
      toolCalls: 2,
      artifacts: 2,
      approvals: 2,
      threadMessages: 2,
    });

    const gone = { steps: 0, toolCalls: 0, artifacts: 0, approvals: 0, threadMessages: 0 };
    const kept = { steps: 2, toolCalls: 1, artifacts: 1, approvals: 1, threadMessages: 1, prunedAt: null };
    for (const runId of [expired, expiredWeek]) {
      expect(await dataOf(runId)).toMatchObject({
        ...gone,
        prunedAt: new Date(now),
        prompt: "",
        state: null,
        inputTokens: 10,
      });
    }
    for (const runId of [young, parked, youngWeek]) {
      expect(await dataOf(runId)).toMatchObject({ ...kept, prompt: "secret question" });
    }

    // Again: nothing more to do.
    expect(await pruneExpiredData({ database, now: () => now }, settings)).toMatchObject({
      runs: 0,
      steps: 0,
      threadMessages: 0,
    });
  });

  it("lets two replicas prune at once, in batches, each row counted once", async () => {
    await database.workspace.create({ data: { id: "T-busy", name: "Busy" } });
    const runs = 60;
    for (let index = 0; index < runs; index += 1) await runWithData("T-busy", "completed", ago(120 * day));
    for (let index = 0; index < 4; index += 1)
      await database.slackEvent.createMany({
        data: Array.from({ length: 50 }, (_, event) => ({
          id: `Ev-${index}-${event}`,
          workspaceId: "T-busy",
          kind: "message",
          receivedAt: ago(2 * 60 * 60_000),
        })),
      });
    const replicas = [createDatabase(url, { poolSize: 2 }), createDatabase(url, { poolSize: 2 })];
    try {
      const results = await Promise.all(
        replicas.map((replica) =>
          pruneExpiredData({ database: replica, now: () => now }, { ...settings, batchSize: 7 }),
        ),
      );
      const total = (key: "runs" | "steps" | "artifacts" | "slackEvents" | "threadMessages") =>
        results[0]![key] + results[1]![key];
      expect(total("runs")).toBe(runs);
      expect(total("steps")).toBe(2 * runs);
      expect(total("artifacts")).toBe(runs);
      expect(total("threadMessages")).toBe(runs);
      expect(total("slackEvents")).toBe(200);
      expect(await database.step.count({ where: { run: { workspaceId: "T-busy" } } })).toBe(0);
      expect(await database.run.count({ where: { workspaceId: "T-busy", prunedAt: null } })).toBe(0);
    } finally {
      await Promise.all(replicas.map((replica) => replica.$disconnect()));
    }
  });
});
