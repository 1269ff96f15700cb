import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wakeJobName } from "../../src/schedules/job-schedulers.js";
import { enqueueTick, settleAndDispatch } from "../../src/schedules/processor.js";
import { everyInterval } from "./support/clock.js";
import { eventually, keyOf, scheduleMessages, ticksOf } from "./support/observe.js";
import { type ScheduleStack, startScheduleStack } from "./support/schedule-stack.js";

/**
 * Exactly one task per tick with three scheduler replicas running at once, on the real path: BullMQ
 * job schedulers with our repeat strategy wake the replicas at each slot, every replica's reconciler
 * runs every second, and on top of that the test keeps delivering duplicates (extra wake-ups, direct
 * tick transactions, second tick jobs for slots already being posted) and restarts a replica midway.
 * A test-only timetable has a slot every second, so many ticks pass in a few seconds.
 */
const intervalMs = 1000;

describe("three scheduler replicas", () => {
  let stack: ScheduleStack;

  beforeAll(async () => {
    stack = await startScheduleStack();
    await stack.startRunWorker();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("decide every tick once and start exactly one task for each started tick, despite duplicates and a restart", async () => {
    const { slack, database, services } = stack;
    const general = slack.channels.general.id;
    const texts = ["every minute post tick A", "every minute post tick B", "every minute post tick C"];
    for (const text of texts) expect(await stack.command("alice", `schedule ${text}`)).toContain("Scheduled");
    const schedules = await database.schedule.findMany({ orderBy: { prompt: "asc" } });
    expect(schedules).toHaveLength(3);
    // One schedule holds a slot while its previous run is going; the others skip (the default).
    await database.schedule.update({ where: { id: schedules[0]!.id }, data: { overlapPolicy: "queue" } });

    const options = {
      timetable: everyInterval(intervalMs),
      reconcileEvery: "* * * * * *",
      settings: { lateGraceMs: 30_000 },
    };
    const replicas = [
      await stack.startScheduler(options),
      await stack.startScheduler(options),
      await stack.startScheduler(options),
    ];

    let duplicates = 0;
    let stop = false;
    const chaos = (async () => {
      while (!stop) {
        for (const schedule of schedules) {
          // The replicas that stay up the whole time (the other one restarts midway).
          const replica = (duplicates % 2 === 0 ? replicas[0] : replicas[2])!;
          duplicates += 1;
          // A duplicate wake-up, a tick transaction run directly, and a second job for a recent tick.
          await replica.context.schedulerQueue.add(
            wakeJobName,
            { scheduleId: schedule.id },
            { jobId: randomUUID() },
          );
          await settleAndDispatch(replica.context, schedule.id);
          const recent = await database.scheduleTick.findFirst({
            where: { scheduleId: schedule.id },
            orderBy: { scheduledAt: "desc" },
          });
          if (recent) await enqueueTick(services, schedule.id, recent.scheduledAt, `duplicate${duplicates}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    })();

    await new Promise((resolve) => setTimeout(resolve, 4000));
    await replicas[1]!.close(); // one replica goes away...
    await new Promise((resolve) => setTimeout(resolve, 1500));
    replicas[1] = await stack.startScheduler(options); // ...and a new one comes up
    await new Promise((resolve) => setTimeout(resolve, 5000));
    stop = true;
    await chaos;
    for (const schedule of schedules) {
      await database.schedule.update({ where: { id: schedule.id }, data: { paused: true } });
    }
    await eventually(async () => {
      const unfinished = await database.scheduleTick.count({
        where: { outcome: { in: ["firing", "posting", "missed_unannounced", "missed_announcing"] } },
      });
      return unfinished === 0;
    });
    await Promise.all(replicas.map((replica) => replica.close()));

    let tasks = 0;
    for (const schedule of schedules) {
      const ticks = await ticksOf(database, schedule.id);
      // Many ticks, each slot decided exactly once, with no gaps.
      expect(ticks.length).toBeGreaterThanOrEqual(8);
      for (const [index, tick] of ticks.entries()) {
        if (index > 0)
          expect(tick.scheduledAt.getTime() - ticks[index - 1]!.scheduledAt.getTime()).toBe(intervalMs);
      }
      const started = ticks.filter((tick) => tick.outcome === "fired" || tick.outcome === "queued");
      const notStarted = ticks.filter((tick) => !started.includes(tick));
      // Not started: the previous run was going, the slot was missed, or it was claimed before the
      // pause at the end and cancelled before its header was posted.
      for (const tick of notStarted)
        expect(["skipped_overlap", "missed", "cancelled"]).toContain(tick.outcome);
      if (schedule.overlapPolicy === "queue")
        expect(notStarted.filter((tick) => tick.outcome === "skipped_overlap")).toEqual([]);

      // One header per started tick, with that tick's key, and one run whose thread it opens.
      const headers = scheduleMessages(slack, general, schedule.id, "tick");
      expect(headers.map(keyOf).sort()).toEqual(
        started.map((tick) => `tick:${schedule.id}:${tick.scheduledAt.getTime()}`).sort(),
      );
      const runs = await database.run.findMany({
        where: { scheduleId: schedule.id },
        include: { task: true },
      });
      expect(runs).toHaveLength(started.length);
      expect(new Set(runs.map((run) => run.id))).toEqual(new Set(started.map((tick) => tick.runId)));
      for (const run of runs) {
        const header = headers.find((message) => message.ts === run.triggerTs);
        expect(header).toBeDefined();
        expect(run.task).toMatchObject({ source: "schedule", threadTs: run.triggerTs });
        expect(run.requesterId).toBe(slack.users.alice.id);
      }
      tasks += runs.length;
    }
    expect(tasks).toBeGreaterThanOrEqual(12);
    expect(duplicates).toBeGreaterThan(20);
    // No Slack message was posted twice.
    const keys = slack.messages(general).flatMap((message) => keyOf(message) ?? []);
    expect(new Set(keys).size).toBe(keys.length);
  }, 90_000);
});
