import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { redisConnection } from "../../src/queue/connection.js";
import { createQueues, type Queues } from "../../src/queue/queues.js";
import { recoverLostWork } from "../../src/runs/recovery.js";
import type { Database } from "../../src/storage/database.js";
import { createTestHarness } from "../support/harness.js";
import { redisUrl, testDatabase, testQueuePrefix } from "../support/stack.js";

/** Work recorded in Postgres whose job was lost is enqueued again, once. */
let database: Database;
let queues: Queues;
beforeAll(async () => {
  ({ database } = await testDatabase());
  queues = createQueues(redisConnection(redisUrl()), testQueuePrefix());
});
afterAll(async () => {
  await queues.close();
});

describe("recovering lost work", () => {
  it("re-enqueues a run left queued and a run whose approval was decided, and nothing else", async () => {
    const harness = createTestHarness(database, { model: undefined });
    const queued = await harness.createRun("lost before its job was added");
    const fresh = await harness.createRun("just created: its job may still be on the way");
    const parked = await harness.createRun("waiting for a decision that was made");
    const minuteAgo = new Date(Date.now() - 120_000);
    await database.run.updateMany({
      where: { id: { in: [queued, parked] } },
      data: { createdAt: minuteAgo },
    });
    await database.run.update({ where: { id: parked }, data: { status: "waiting_approval" } });
    const approval = await database.approval.create({
      data: {
        runId: parked,
        toolCallKey: `${parked}:1:call`,
        tool: "send",
        argumentsHash: "x",
        approvers: ["U_ALICE"],
        channel: "C_TEST",
        status: "approved",
        decidedBy: "U_ALICE",
        decidedAt: minuteAgo,
      },
    });
    const services = { database, queues, logger: createLogger("silent"), now: Date.now };
    expect(await recoverLostWork(services)).toBe(2);
    expect(await queues.runs.getJob(`run-${queued}-start`)).toBeDefined();
    expect(await queues.runs.getJob(`run-${parked}-approval-${approval.id}`)).toBeDefined();
    expect(await queues.runs.getJob(`run-${fresh}-start`)).toBeUndefined();
    // Sweeping again adds no second job.
    await recoverLostWork(services);
    expect(await queues.runs.getJobCounts("waiting", "delayed")).toMatchObject({ waiting: 2 });
  });
});
