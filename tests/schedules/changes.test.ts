import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobSchedulerId } from "../../src/schedules/ids.js";
import { wakeJobName } from "../../src/schedules/job-schedulers.js";
import { enqueueTick, settleAndDispatch } from "../../src/schedules/processor.js";
import { settleSchedule } from "../../src/schedules/settle.js";
import { runCoworkerCommand } from "../support/slash-command.js";
import { manualClock } from "./support/clock.js";
import { eventually, scheduleMessages, ticksOf } from "./support/observe.js";
import { type ScheduleStack, startScheduleStack } from "./support/schedule-stack.js";

/**
 * Pausing, resuming, editing and deleting, done in the web process (slash command, modal) and seen
 * at once by two scheduler replicas with their own connections: the tick transaction reads the
 * schedule's row, so no stale BullMQ wake-up, reconciler pass or tick job can fire what was paused,
 * moved or deleted.
 */
const clock = manualClock("2026-11-23T12:00:30Z");
const never = "0 0 0 1 1 *";

describe("changing a schedule across processes", () => {
  let stack: ScheduleStack;

  beforeAll(async () => {
    stack = await startScheduleStack({ now: clock.now });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("pause, resume, edit and delete take effect at once in every replica", { timeout: 90_000 }, async () => {
    const { slack, database } = stack;
    const replicaA = await stack.startScheduler({ reconcileEvery: never });
    const replicaB = await stack.startScheduler({ reconcileEvery: never });
    await stack.command("bob", "schedule every hour in UTC tidy up the board");
    const schedule = await database.schedule.findFirstOrThrow({ where: { prompt: "tidy up the board" } });
    const short = schedule.id.slice(0, 8);
    const schedulerOf = () => replicaA.context.schedulerQueue.getJobScheduler(jobSchedulerId(schedule.id));
    await eventually(async () => (await schedulerOf())?.pattern === "0 * * * *");
    const everything = async () => {
      // Every way a slot can be asked for: both reconcilers, a direct tick transaction, a stale wake-up.
      await replicaA.context.schedulerQueue.add(
        wakeJobName,
        { scheduleId: schedule.id },
        { jobId: randomUUID() },
      );
      await Promise.all([
        replicaA.reconcile(),
        replicaB.reconcile(),
        settleAndDispatch(replicaB.context, schedule.id),
      ]);
    };

    // Paused at 12:30: nothing at 13:00, and BullMQ's job scheduler goes away.
    clock.set("2026-11-23T12:30:00Z");
    expect(await stack.command("bob", `schedule pause ${short}`)).toContain("Paused *tidy up the board*");
    clock.set("2026-11-23T13:00:05Z");
    await everything();
    await eventually(async () => (await schedulerOf()) === undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await ticksOf(database, schedule.id)).toEqual([]);

    // Resumed at 13:30: 13:00 is not "missed"; 14:00 runs.
    clock.set("2026-11-23T13:30:00Z");
    expect(await stack.command("bob", `schedule resume ${short}`)).toContain("Resumed");
    await eventually(async () => (await schedulerOf())?.pattern === "0 * * * *");
    clock.set("2026-11-23T14:00:05Z");
    await everything();
    await eventually(async () => (await ticksOf(database, schedule.id))[0]?.outcome === "fired");
    expect((await ticksOf(database, schedule.id)).map((tick) => tick.scheduledAt.toISOString())).toEqual([
      "2026-11-23T14:00:00.000Z",
    ]);
    expect(scheduleMessages(slack, "general", schedule.id, "missed")).toEqual([]);

    // Edited at 14:10 in the modal (from `schedule list`): half past instead of on the hour.
    clock.set("2026-11-23T14:10:00Z");
    await runCoworkerCommand(slack, "bob", "schedule list");
    const list = await slack.waitFor(() =>
      slack
        .ephemerals({ user: "bob" })
        .find((message) => JSON.stringify(message.blocks ?? []).includes(schedule.id)),
    );
    await slack.clickButton({
      user: "bob",
      channel: "general",
      messageTs: list.ts,
      actionId: "schedule.edit",
      blockId: `schedule.${schedule.id}`,
    });
    const modal = await slack.waitFor(() => slack.openModal("bob"));
    expect(JSON.stringify(modal.definition)).toContain('\\"0 * * * *\\"');
    const submitted = await slack.submitView({
      user: "bob",
      values: {
        name: { value: { value: "Board tidy" } },
        when: { value: { value: "every hour at :30" } },
        timezone: { value: { value: "UTC" } },
        task: { value: { value: "tidy up the board" } },
        channel: { value: slack.channels.general.id },
        overlap: { value: "queue" },
        missed: { value: "skip" },
        max_age: { value: { value: "60" } },
      },
    });
    expect(submitted.errors).toBeUndefined();
    const edited = await eventually(async () => {
      const row = await database.schedule.findUniqueOrThrow({ where: { id: schedule.id } });
      return row.cron === "30 * * * *" ? row : undefined;
    });
    expect(edited).toMatchObject({ name: "Board tidy", timezone: "UTC", overlapPolicy: "queue" });
    expect(edited.version).toBeGreaterThan(schedule.version);
    await eventually(async () => (await schedulerOf())?.pattern === "30 * * * *");

    clock.set("2026-11-23T14:30:05Z");
    await everything();
    // No run worker here, so the 14:00 run is still queued: the 14:30 one is held behind it.
    await eventually(async () => (await ticksOf(database, schedule.id))[1]?.outcome === "queued");
    clock.set("2026-11-23T15:00:05Z"); // the old cron's slot: nothing
    await everything();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await ticksOf(database, schedule.id)).map((tick) => tick.scheduledAt.toISOString())).toEqual([
      "2026-11-23T14:00:00.000Z",
      "2026-11-23T14:30:00.000Z",
    ]);

    // 15:30 is claimed by a process that dies before posting; the schedule is deleted at 15:40, which
    // also cancels the run held since 14:30.
    clock.set("2026-11-23T15:30:05Z");
    const claimed = await settleSchedule(replicaB.context, schedule.id, new Date(clock.now()));
    expect(claimed.type === "settled" && claimed.claimed?.scheduledAt.toISOString()).toBe(
      "2026-11-23T15:30:00.000Z",
    );
    clock.set("2026-11-23T15:40:00Z");
    expect(await stack.command("bob", `schedule delete ${short}`)).toContain("Deleted");
    await enqueueTick(replicaA.context, schedule.id, new Date("2026-11-23T15:30:00Z"));
    await eventually(async () => (await ticksOf(database, schedule.id)).at(-1)?.outcome === "cancelled");
    await eventually(async () => (await schedulerOf()) === undefined);

    // Never again, however it is asked.
    for (const at of ["2026-11-23T16:30:05Z", "2026-11-23T17:30:05Z"]) {
      clock.set(at);
      await everything();
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    const ticks = await ticksOf(database, schedule.id);
    expect(ticks.map((tick) => tick.outcome)).toEqual(["fired", "cancelled", "cancelled"]);
    expect(scheduleMessages(slack, "general", schedule.id, "tick")).toHaveLength(2);
    const runs = await database.run.findMany({
      where: { scheduleId: schedule.id },
      orderBy: { createdAt: "asc" },
    });
    expect(runs.map((run) => run.id)).toEqual([ticks[0]!.runId, ticks[1]!.runId]);
    expect(runs[1]).toMatchObject({ status: "cancelled", stopReason: "schedule_deleted" });
    expect(await stack.command("bob", `schedule run ${short}`)).toContain("No schedule has the id");
  });
});
