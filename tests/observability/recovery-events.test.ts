import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scriptedModel } from "../../src/harness/model/scripted.js";
import { inOrder, textReply, toolCallReply } from "../../src/harness/model/scripts.js";
import { createLogger } from "../../src/logger.js";
import { redisConnection } from "../../src/queue/connection.js";
import { createQueues, type Queues } from "../../src/queue/queues.js";
import { recoverLostWork } from "../../src/runs/recovery.js";
import type { Database } from "../../src/storage/database.js";
import { lookupTool } from "../replay/support/sample-run.js";
import { createTestHarness } from "../support/harness.js";
import { redisUrl, testDatabase, testQueuePrefix } from "../support/stack.js";

/**
 * The recovery log events: a run picked up while still marked running (its worker died or handed it
 * over) logs `run.recovered`, and the recovery sweep logs `run.requeued` for each run whose job it
 * enqueues again, each with the run's workspace, task and run ids.
 */
type Line = Record<string, unknown>;
function capture() {
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const text of String(chunk).split("\n")) if (text.trim()) lines.push(JSON.parse(text) as Line);
      done();
    },
  });
  return { lines, logger: createLogger("info", sink) };
}

let database: Database;
let queues: Queues;
beforeAll(async () => {
  ({ database } = await testDatabase());
  queues = createQueues(redisConnection(redisUrl()), testQueuePrefix());
});
afterAll(async () => {
  await queues.close();
});

describe("recovery log events", () => {
  it("logs run.recovered when a run left running is executed again", async () => {
    const harness = createTestHarness(database, {
      model: scriptedModel(inOrder(toolCallReply("lookup_weather", { city: "Oslo" }), textReply("4°C"))),
      tools: [lookupTool()],
    });
    const { lines, logger } = capture();
    harness.services.logger = logger;
    const runId = await harness.createRun("weather in Oslo?");
    // The first worker stops after its first step (as a killed or draining one would), leaving it running.
    let checks = 0;
    harness.services.shouldYield = () => checks++ >= 1;
    expect(await harness.execute(runId)).toBe("yielded");
    harness.services.shouldYield = undefined;
    expect(await harness.execute(runId)).toBe("completed");

    const run = await database.run.findUniqueOrThrow({ where: { id: runId } });
    const events = lines.filter((line) => line.event);
    expect(events.map((line) => line.event)).toEqual(["run.started", "run.recovered", "run.finished"]);
    for (const line of events)
      expect(line).toMatchObject({ workspaceId: run.workspaceId, taskId: run.taskId, runId, level: 30 });
    expect(events[1]).toMatchObject({ step: 1 });
  });

  it("logs run.requeued for each run the recovery sweep enqueues again", async () => {
    const harness = createTestHarness(database, { model: undefined });
    const runId = await harness.createRun("lost before its job was added");
    await database.run.update({ where: { id: runId }, data: { createdAt: new Date(Date.now() - 120_000) } });
    const { lines, logger } = capture();
    expect(await recoverLostWork({ database, queues, logger, now: Date.now })).toBeGreaterThanOrEqual(1);
    const run = await database.run.findUniqueOrThrow({ where: { id: runId } });
    expect(lines.filter((line) => line.event === "run.requeued" && line.runId === runId)).toEqual([
      expect.objectContaining({ workspaceId: run.workspaceId, taskId: run.taskId, waiting: "queued" }),
    ]);
  });
});
