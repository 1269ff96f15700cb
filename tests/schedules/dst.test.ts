import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ticksBetween } from "../../src/schedules/occurrences.js";
import type { RunningScheduler } from "../../src/schedules/scheduler.js";
import { manualClock } from "./support/clock.js";
import { eventually, scheduleMessages, ticksOf } from "./support/observe.js";
import { type ScheduleStack, startScheduleStack } from "./support/schedule-stack.js";

/**
 * Daylight saving at the firing level: a scheduler replica's reconciler is driven through the
 * transition nights by an injected clock, minute by minute, and what fires (tick rows, headers in
 * the channel, runs) is exactly what the DST-correct pure functions say: one run on the
 * spring-forward and fall-back days, at the instants occurrences.ts computes.
 */
const minute = 60_000;
const clock = manualClock("2026-03-07T12:00:00Z");

describe("firing across daylight saving (America/New_York)", () => {
  let stack: ScheduleStack;
  let scheduler: RunningScheduler;

  beforeAll(async () => {
    stack = await startScheduleStack({ now: clock.now });
    scheduler = await stack.startScheduler({ reconcileEvery: "0 0 0 1 1 *" });
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function create(text: string, at: string) {
    clock.set(at);
    const answer = await stack.command("alice", `schedule ${text}`);
    expect(answer).toContain("America/New_York (your Slack timezone)");
    const schedule = await stack.database.schedule.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
    // Held runs instead of skipped ones: no run worker here, so every started slot stays visible.
    await stack.database.schedule.update({ where: { id: schedule.id }, data: { overlapPolicy: "queue" } });
    return schedule;
  }

  /**
   * Moves the clock to `end`, one reconciler pass per step: 2 minutes inside [fineFrom, fineTo) (within
   * the 3-minute grace, so a slot there runs on time), an hour elsewhere (a slot there would show up
   * as a missed tick row, so nothing can fire unseen).
   */
  async function walk(end: string, ...fine: Array<[string, string]>): Promise<void> {
    const stop = Date.parse(end);
    const windows = fine.map(([from, to]) => [Date.parse(from), Date.parse(to)] as const);
    while (clock.now() < stop) {
      const inFine = windows.some(([from, to]) => clock.now() >= from && clock.now() < to);
      clock.advance(inFine ? 2 * minute : 60 * minute);
      await scheduler.reconcile();
    }
  }

  async function started(scheduleId: string) {
    return eventually(async () => {
      const ticks = await ticksOf(stack.database, scheduleId);
      if (ticks.some((tick) => tick.outcome === "firing" || tick.outcome === "posting")) return undefined;
      return ticks;
    });
  }

  it("runs a 02:30 schedule once on the spring-forward day, at 03:00 EDT when the clock jumps", {
    timeout: 90_000,
  }, async () => {
    const schedule = await create("every day at 2:30 run the nightly job", "2026-03-07T12:00:00Z");
    expect(schedule.cron).toBe("30 2 * * *");
    await walk(
      "2026-03-09T12:00:00Z",
      ["2026-03-08T05:00:00Z", "2026-03-08T09:00:00Z"],
      ["2026-03-09T05:00:00Z", "2026-03-09T08:00:00Z"],
    );
    const ticks = await started(schedule.id);
    expect(ticks.map((tick) => [tick.scheduledAt.toISOString(), tick.outcome])).toEqual([
      ["2026-03-08T07:00:00.000Z", "fired"], // 02:30 does not exist that night: 03:00 EDT
      ["2026-03-09T06:30:00.000Z", "queued"], // 02:30 EDT
    ]);
    const headers = scheduleMessages(stack.slack, "general", schedule.id, "tick");
    expect(headers).toHaveLength(2);
    expect(await stack.database.run.count({ where: { scheduleId: schedule.id } })).toBe(2);
  });

  it("runs a 01:30 schedule once on the fall-back day, at the first 01:30", { timeout: 90_000 }, async () => {
    const schedule = await create("every day at 1:30 rotate the logs", "2026-10-31T12:00:00Z");
    expect(schedule.cron).toBe("30 1 * * *");
    await walk(
      "2026-11-02T12:00:00Z",
      ["2026-11-01T04:00:00Z", "2026-11-01T08:00:00Z"],
      ["2026-11-02T05:00:00Z", "2026-11-02T08:00:00Z"],
    );
    const ticks = await started(schedule.id);
    expect(ticks.map((tick) => [tick.scheduledAt.toISOString(), tick.outcome])).toEqual([
      ["2026-11-01T05:30:00.000Z", "fired"], // 01:30 EDT; the second 01:30 (06:30Z, EST) does not run
      ["2026-11-02T06:30:00.000Z", "queued"], // 01:30 EST
    ]);
    expect(scheduleMessages(stack.slack, "general", schedule.id, "tick")).toHaveLength(2);
  });

  it("fires an interval schedule through the repeated hour exactly at the pure function's instants", {
    timeout: 90_000,
  }, async () => {
    const from = "2026-11-01T04:30:00Z";
    const schedule = await create("every 15 minutes check the queue", from);
    await stack.database.schedule.update({ where: { id: schedule.id }, data: { overlapPolicy: "queue" } });
    await walk("2026-11-01T07:30:00Z", [from, "2026-11-01T07:30:00Z"]);
    const ticks = await started(schedule.id);
    const expected = ticksBetween(
      "*/15 * * * *",
      "America/New_York",
      new Date(from),
      new Date("2026-11-01T07:30:00Z"),
    );
    expect(ticks.map((tick) => tick.scheduledAt.toISOString())).toEqual(
      expected.runs.map((run) => run.toISOString()),
    );
    // The repeated hour (01:00-02:00 EST, 06:00-07:00Z) runs nothing: no second pass.
    expect(ticks.filter((tick) => tick.scheduledAt.toISOString().startsWith("2026-11-01T06:"))).toEqual([]);
    expect(ticks.every((tick) => tick.outcome === "fired" || tick.outcome === "queued")).toBe(true);
    expect(scheduleMessages(stack.slack, "general", schedule.id, "tick")).toHaveLength(ticks.length);
  });
});
