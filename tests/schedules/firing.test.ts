import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Conversation } from "../../src/emulator/index.js";
import { postWithKey } from "../../src/schedules/channel-posts.js";
import { headerKey } from "../../src/schedules/firing.js";
import { withAdvisoryLock } from "../../src/schedules/locks.js";
import { enqueueTick } from "../../src/schedules/processor.js";
import { settleSchedule } from "../../src/schedules/settle.js";
import { manualClock } from "./support/clock.js";
import { eventually, scheduleMessages, ticksOf } from "./support/observe.js";
import { type ScheduleStack, startScheduleStack } from "./support/schedule-stack.js";

/**
 * The firing path with an injected clock: the reconciler and tick jobs of real scheduler replicas
 * (BullMQ on Redis, Postgres), the emulator's channel, and a run worker with a fake model.
 */
const clock = manualClock("2026-11-23T07:00:00Z");
const never = "0 0 0 1 1 *";

describe("firing schedules", () => {
  let stack: ScheduleStack;
  let channelCount = 0;

  beforeAll(async () => {
    stack = await startScheduleStack({
      now: clock.now,
      reply: (body) => {
        const prompt = JSON.stringify(body.messages);
        return prompt.includes("slow") ? { text: "Done slowly.", delayMs: 3000 } : { text: "Done." };
      },
    });
    await stack.startRunWorker();
  });
  afterAll(async () => {
    await stack?.close();
  });

  function channel(): Conversation {
    channelCount += 1;
    const { slack } = stack;
    return slack.addChannel({
      name: `firing-${channelCount}`,
      withBot: true,
      members: [slack.users.alice.id, slack.users.bob.id],
    });
  }

  async function create(user: string, text: string, where: Conversation) {
    const answer = await stack.command(user, `schedule ${text}`, where.id);
    expect(answer).toContain("Scheduled");
    return stack.database.schedule.findFirstOrThrow({
      where: { channel: where.id },
      orderBy: { createdAt: "desc" },
    });
  }

  it("turns a due slot into one task: a header in the channel whose thread is the run's, owned by the schedule's owner", async () => {
    const { slack, database } = stack;
    const where = channel();
    clock.set("2026-11-23T07:00:00Z");
    const schedule = await create("bob", "every day at 9 summarize the channel", where);
    expect(schedule.timezone).toBe("Europe/Berlin");
    const first = await stack.startScheduler({ reconcileEvery: never });
    const second = await stack.startScheduler({ reconcileEvery: never });

    clock.set("2026-11-23T08:00:02Z"); // 09:00 in Berlin
    await Promise.all([first.reconcile(), second.reconcile(), first.reconcile()]);
    const tick = await eventually(async () => {
      const [only] = await ticksOf(database, schedule.id);
      return only?.outcome === "fired" ? only : undefined;
    });
    expect(tick.scheduledAt.toISOString()).toBe("2026-11-23T08:00:00.000Z");
    const headers = scheduleMessages(slack, where.id, schedule.id, "tick");
    expect(headers).toHaveLength(1);
    const header = headers[0]!;
    expect(header.text).toContain("summarize the channel");
    expect(JSON.stringify(header.blocks)).toContain("Manage schedule");
    expect(JSON.stringify(header.blocks)).toContain(schedule.id.slice(0, 8));

    const run = await database.run.findUniqueOrThrow({ where: { id: tick.runId! }, include: { task: true } });
    expect(run).toMatchObject({
      scheduleId: schedule.id,
      requesterId: slack.users.bob.id,
      channel: where.id,
      triggerTs: header.ts,
      prompt: "summarize the channel",
    });
    expect(run.task).toMatchObject({
      source: "schedule",
      threadTs: header.ts,
      requesterId: slack.users.bob.id,
    });
    await slack.waitForMessage({ channel: where.id, threadTs: header.ts, contains: "Done." }, 15_000);
    await eventually(
      async () => (await database.run.findUnique({ where: { id: run.id } }))?.status === "completed",
    );

    // Asked again, by any replica: nothing new.
    await Promise.all([first.reconcile(), second.reconcile()]);
    expect(await ticksOf(database, schedule.id)).toHaveLength(1);
    expect(await database.run.count({ where: { scheduleId: schedule.id } })).toBe(1);
    await Promise.all([first.close(), second.close()]);
  });

  it("after downtime, skips the missed runs with one notice in the channel (missed policy: skip)", async () => {
    const { slack, database } = stack;
    const where = channel();
    clock.set("2026-11-23T12:00:30Z");
    const schedule = await create("bob", "every hour in UTC check the build", where);
    const before = await stack.startScheduler({ reconcileEvery: never });
    await before.reconcile();
    await before.close(); // the scheduler is down from here

    clock.set("2026-11-23T17:10:00Z");
    const after = await stack.startScheduler({ reconcileEvery: never }); // its first pass finds the gap
    const notice = await eventually(() => scheduleMessages(slack, where.id, schedule.id, "missed")[0]);
    expect(notice.text).toContain("missed 5 runs");
    for (const hour of ["13:00", "14:00", "15:00", "16:00", "17:00"])
      expect(notice.text).toContain(`2026, ${hour} (UTC)`);
    expect(notice.text).toContain("I skipped them rather than run them late");
    await eventually(async () =>
      (await ticksOf(database, schedule.id)).every((tick) => tick.outcome === "missed"),
    );
    expect(
      (await ticksOf(database, schedule.id)).map((tick) => tick.scheduledAt.toISOString().slice(11, 16)),
    ).toEqual(["13:00", "14:00", "15:00", "16:00", "17:00"]);

    // Other replicas coming up, and more passes: still one notice, no runs, never a burst.
    const another = await stack.startScheduler({ reconcileEvery: never });
    await Promise.all([after.reconcile(), another.reconcile()]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(scheduleMessages(slack, where.id, schedule.id, "missed")).toHaveLength(1);
    expect(scheduleMessages(slack, where.id, schedule.id, "tick")).toHaveLength(0);
    expect(await database.run.count({ where: { scheduleId: schedule.id } })).toBe(0);

    // The next slot runs on time.
    clock.set("2026-11-23T18:00:01Z");
    await another.reconcile();
    await eventually(() => scheduleMessages(slack, where.id, schedule.id, "tick").length === 1);
    await eventually(async () => (await ticksOf(database, schedule.id)).at(-1)?.outcome === "fired");
    await Promise.all([after.close(), another.close()]);
  });

  it("after downtime, runs only the latest missed slot, late, if young enough (missed policy: latest)", async () => {
    const { slack, database } = stack;
    const where = channel();
    clock.set("2026-11-24T12:00:30Z");
    const schedule = await create("alice", "every hour in UTC check the queue", where);
    await database.schedule.update({
      where: { id: schedule.id },
      data: { missedPolicy: "latest", missedMaxAgeMinutes: 60 },
    });

    clock.set("2026-11-24T17:10:00Z");
    const replica = await stack.startScheduler({ reconcileEvery: never });
    const header = await eventually(() => scheduleMessages(slack, where.id, schedule.id, "tick")[0]);
    expect(JSON.stringify(header.blocks)).toContain(
      "Running late: this run was due Tue 24 Nov 2026, 17:00 (UTC)",
    );
    await eventually(async () => (await ticksOf(database, schedule.id)).at(-1)?.outcome === "fired");
    const ticks = await ticksOf(database, schedule.id);
    expect(ticks.map((tick) => [tick.scheduledAt.toISOString().slice(11, 16), tick.outcome])).toEqual([
      ["13:00", "missed"],
      ["14:00", "missed"],
      ["15:00", "missed"],
      ["16:00", "missed"],
      ["17:00", "fired"],
    ]);
    expect(scheduleMessages(slack, where.id, schedule.id, "missed")).toHaveLength(0);
    await replica.close();

    // Down again, longer than the schedule's maximum age: nothing runs; the channel is told once.
    await database.schedule.update({ where: { id: schedule.id }, data: { missedMaxAgeMinutes: 5 } });
    clock.set("2026-11-24T20:20:00Z");
    const later = await stack.startScheduler({ reconcileEvery: never });
    const notice = await eventually(() => scheduleMessages(slack, where.id, schedule.id, "missed")[0]);
    expect(notice.text).toContain("missed 3 runs");
    expect(notice.text).toContain("too old to run late");
    await later.reconcile();
    expect(scheduleMessages(slack, where.id, schedule.id, "tick")).toHaveLength(1);
    expect(scheduleMessages(slack, where.id, schedule.id, "missed")).toHaveLength(1);
    expect(await database.run.count({ where: { scheduleId: schedule.id } })).toBe(1);
    await later.close();
  });

  it("skips a slot while the previous run is still going (overlap: skip), or holds it until then (overlap: queue)", {
    timeout: 90_000,
  }, async () => {
    const { slack, database, services } = stack;
    const replica = await stack.startScheduler({ reconcileEvery: never });

    const skipping = channel();
    clock.set("2026-11-25T12:00:30Z");
    const skip = await create("bob", "every hour in UTC write a slow report", skipping);
    clock.set("2026-11-25T13:00:01Z");
    await replica.reconcile();
    await eventually(async () => (await ticksOf(database, skip.id))[0]?.outcome === "fired");
    clock.set("2026-11-25T14:00:01Z");
    await replica.reconcile();
    const skipped = await ticksOf(database, skip.id);
    expect(skipped.map((tick) => tick.outcome)).toEqual(["fired", "skipped_overlap"]);
    expect(scheduleMessages(slack, skipping.id, skip.id, "tick")).toHaveLength(1);
    expect(await database.run.count({ where: { scheduleId: skip.id } })).toBe(1);

    const queueing = channel();
    clock.set("2026-11-25T14:00:30Z");
    const queue = await create("bob", "every hour in UTC write another slow report", queueing);
    await database.schedule.update({ where: { id: queue.id }, data: { overlapPolicy: "queue" } });
    clock.set("2026-11-25T15:00:01Z");
    await replica.reconcile();
    await eventually(async () => (await ticksOf(database, queue.id))[0]?.outcome === "fired");
    clock.set("2026-11-25T16:00:01Z");
    await replica.reconcile();
    const held = await eventually(async () => {
      const ticks = await ticksOf(database, queue.id);
      return ticks[1]?.outcome === "queued" ? ticks[1] : undefined;
    });
    // Its header and run exist, but the run is not started while the first is still going.
    expect(scheduleMessages(slack, queueing.id, queue.id, "tick")).toHaveLength(2);
    const first = (await ticksOf(database, queue.id))[0]!;
    expect((await database.run.findUniqueOrThrow({ where: { id: first.runId! } })).status).not.toBe(
      "completed",
    );
    expect(await services.queues.runs.getJob(`run-${held.runId}-start`)).toBeUndefined();
    // When the first run ends, the held one starts and completes.
    await eventually(
      async () => (await database.run.findUnique({ where: { id: held.runId! } }))?.status === "completed",
      20_000,
    );
    const firstRun = await database.run.findUniqueOrThrow({ where: { id: first.runId! } });
    expect(firstRun.status).toBe("completed");
    // The held run was enqueued only after the first had ended (both on the real clock).
    const released = await services.queues.runs.getJob(`run-${held.runId}-start`);
    expect(released?.timestamp).toBeGreaterThanOrEqual(firstRun.endedAt!.getTime() - 50);
    expect((await ticksOf(database, queue.id)).map((tick) => tick.outcome)).toEqual(["fired", "fired"]);
    await replica.close();
  });
  it("finishes a tick whose process died after posting its header, without posting it twice", async () => {
    const { slack, database } = stack;
    const where = channel();
    // Near the real clock here: the header is looked up in the emulator's history, whose timestamps are real.
    clock.set(Date.now());
    const schedule = await create("bob", "every minute in UTC count the open issues", where);
    const replica = await stack.startScheduler({ reconcileEvery: never });
    const slot = (Math.floor(clock.now() / 60_000) + 1) * 60_000;
    clock.set(slot + 2000);
    // A process claims the slot, marks it "posting", posts the header, and dies before recording more.
    const decided = await settleSchedule(replica.context, schedule.id, new Date(clock.now()));
    const claimed = decided.type === "settled" ? decided.claimed : undefined;
    expect(claimed?.scheduledAt.getTime()).toBe(slot);
    await database.scheduleTick.update({ where: { id: claimed!.tickId }, data: { outcome: "posting" } });
    const client = await replica.services.slack.forWorkspace(slack.teamId);
    const orphan = await postWithKey(client, {
      channel: where.id,
      key: headerKey(schedule.id, claimed!.scheduledAt),
      text: "header posted by the process that died",
    });

    // Meanwhile another process holds the tick's lock: a tick job backs off instead of waiting.
    let release: () => void = () => undefined;
    let locked: () => void = () => undefined;
    const holding = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const held = withAdvisoryLock(
      database,
      `schedule-tick:${claimed!.tickId}`,
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
          locked();
        }),
    );
    await holding;
    await enqueueTick(replica.context, schedule.id, claimed!.scheduledAt);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await ticksOf(database, schedule.id))[0]?.outcome).toBe("posting");
    release();
    await held;

    // The retry (the delayed job, or the reconciler later) finds the header by its key and uses it.
    const tick = await eventually(async () => {
      const [only] = await ticksOf(database, schedule.id);
      return only?.outcome === "fired" ? only : undefined;
    });
    expect(scheduleMessages(slack, where.id, schedule.id, "tick").map((message) => message.ts)).toEqual([
      orphan,
    ]);
    expect((await database.run.findUniqueOrThrow({ where: { id: tick.runId! } })).triggerTs).toBe(orphan);
    await replica.close();
  });
});
