import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { manualClock } from "../schedules/support/clock.js";
import { eventually, ticksOf } from "../schedules/support/observe.js";
import { type ScheduleStack, startScheduleStack } from "../schedules/support/schedule-stack.js";

/**
 * The `schedule.tick` log event: when a scheduler replica turns a due slot into a run, one info line
 * says so with the schedule, the slot, the outcome and the run's workspace, task and run ids.
 */
const lines: Array<Record<string, unknown>> = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    for (const text of String(chunk).split("\n")) if (text.trim()) lines.push(JSON.parse(text));
    done();
  },
});
const clock = manualClock("2026-11-23T07:00:00Z");
let stack: ScheduleStack;

beforeAll(async () => {
  stack = await startScheduleStack({ now: clock.now, logger: createLogger("info", sink) });
});
afterAll(async () => {
  await stack?.close();
});

describe("schedule tick log event", () => {
  it("logs the decided slot with the run's ids", async () => {
    const { slack, database } = stack;
    const where = slack.addChannel({
      name: "tick-events",
      withBot: true,
      members: [slack.users.alice.id, slack.users.bob.id],
    });
    const answer = await stack.command("bob", "schedule every day at 9 summarize the channel", where.id);
    expect(answer).toContain("Scheduled");
    const schedule = await database.schedule.findFirstOrThrow({ where: { channel: where.id } });
    const scheduler = await stack.startScheduler({ reconcileEvery: "0 0 0 1 1 *" });
    clock.set("2026-11-23T08:00:02Z"); // 09:00 in Berlin
    await scheduler.reconcile();
    const tick = await eventually(async () => {
      const [only] = await ticksOf(database, schedule.id);
      return only?.outcome === "fired" ? only : undefined;
    });
    const run = await database.run.findUniqueOrThrow({ where: { id: tick.runId! } });
    expect(lines.filter((line) => line.event === "schedule.tick")).toEqual([
      expect.objectContaining({
        level: 30,
        workspaceId: run.workspaceId,
        taskId: run.taskId,
        runId: run.id,
        scheduleId: schedule.id,
        scheduledAt: "2026-11-23T08:00:00.000Z",
        outcome: "fired",
      }),
    ]);
  });
});
