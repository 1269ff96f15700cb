import { defaultRepeatStrategy, Queue } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { redisConnection } from "../../src/queue/connection.js";
import { headerMessage } from "../../src/schedules/channel-messages.js";
import { dueSlots } from "../../src/schedules/due-slots.js";
import { jobSchedulerId, uuidFromKey } from "../../src/schedules/ids.js";
import { repeatStrategyFor, slotOfWakeJob, syncJobScheduler } from "../../src/schedules/job-schedulers.js";
import { defaultName } from "../../src/schedules/manage.js";
import { readWhen } from "../../src/schedules/modal-view.js";
import { nextRun } from "../../src/schedules/occurrences.js";
import type { ScheduleRecord } from "../../src/schedules/store.js";
import { cronTimetable } from "../../src/schedules/timetable.js";
import { redisUrl, testQueuePrefix } from "../support/stack.js";

describe("the BullMQ repeat strategy", () => {
  const strategy = repeatStrategyFor(cronTimetable);
  const options = { pattern: "30 2 * * *", tz: "America/New_York" };

  it("follows the DST-correct timetable where cron-parser's own timezone mode does not", async () => {
    const before = Date.parse("2026-03-07T12:00:00Z");
    const first = await strategy(before, options);
    expect(new Date(first!).toISOString()).toBe("2026-03-08T07:00:00.000Z"); // 03:00 EDT, when the clock jumps
    expect(new Date((await strategy(first!, options))!).toISOString()).toBe("2026-03-09T06:30:00.000Z");
    // BullMQ's default moves the skipped 02:30 by the gap, to 03:30 EDT.
    expect(new Date(defaultRepeatStrategy(before, options)!).toISOString()).toBe("2026-03-08T07:30:00.000Z");
    const fallBack = await strategy(Date.parse("2026-11-01T05:30:00Z"), {
      pattern: "30 1 * * *",
      tz: options.tz,
    });
    expect(new Date(fallBack!).toISOString()).toBe("2026-11-02T06:30:00.000Z"); // not the second 01:30
  });

  describe("in a real queue", () => {
    const queue = new Queue("schedules", {
      connection: redisConnection(redisUrl()),
      prefix: testQueuePrefix(),
      settings: { repeatStrategy: strategy },
    });
    afterAll(async () => {
      await queue.close();
    });

    it("creates one job scheduler per schedule, at the strategy's next slot, and removes it when paused", async () => {
      const schedule = {
        id: "5f0c6d1e-8d7a-4c1b-9f0e-2b3c4d5e6f70",
        cron: "30 2 * * *",
        timezone: "America/New_York",
        paused: false,
        deletedAt: null,
      } as ScheduleRecord;
      const before = Date.now();
      expect(await syncJobScheduler(queue, schedule.id, schedule)).toBe("upserted");
      expect(await syncJobScheduler(queue, schedule.id, schedule)).toBe("unchanged");
      const scheduler = await queue.getJobScheduler(jobSchedulerId(schedule.id));
      expect(scheduler).toMatchObject({
        pattern: "30 2 * * *",
        tz: "America/New_York",
        name: "schedule.wake",
      });
      const expected = nextRun(schedule.cron, schedule.timezone, new Date(before))!.getTime();
      expect(scheduler?.next).toBe(expected);
      const [job] = await queue.getDelayed();
      expect(job?.data).toEqual({ scheduleId: schedule.id });
      expect(slotOfWakeJob(job?.id)?.getTime()).toBe(expected);
      expect(await syncJobScheduler(queue, schedule.id, { ...schedule, paused: true })).toBe("removed");
      expect(await queue.getJobScheduler(jobSchedulerId(schedule.id))).toBeUndefined();
      expect(await queue.getDelayedCount()).toBe(0);
    });
  });
});

describe("dueSlots", () => {
  const timing = { cron: "* * * * *", timezone: "UTC" };

  it("counts the slots in (from, to] and keeps the latest ones", () => {
    const due = dueSlots(
      cronTimetable,
      timing,
      new Date("2026-01-01T00:00:00Z"),
      new Date("2026-01-01T00:10:30Z"),
      {
        keep: 3,
      },
    );
    expect(due).toEqual({
      count: 10,
      countIsLowerBound: false,
      recent: ["00:08", "00:09", "00:10"].map((time) => new Date(`2026-01-01T${time}:00Z`)),
    });
  });

  it("after a long outage stops counting at the cap but still finds the latest slots", () => {
    const due = dueSlots(
      cronTimetable,
      timing,
      new Date("2026-01-01T00:00:00Z"),
      new Date("2026-02-01T12:34:56Z"),
      {
        keep: 2,
        cap: 500,
      },
    );
    expect(due.countIsLowerBound).toBe(true);
    expect(due.count).toBeGreaterThanOrEqual(500);
    expect(due.recent.map((slot) => slot.toISOString())).toEqual([
      "2026-02-01T12:33:00.000Z",
      "2026-02-01T12:34:00.000Z",
    ]);
  });

  it("is empty when nothing is due", () => {
    const due = dueSlots(
      cronTimetable,
      { cron: "0 9 * * *", timezone: "UTC" },
      new Date("2026-01-01T09:00:00Z"),
      new Date("2026-01-02T08:59:59Z"),
    );
    expect(due).toEqual({ count: 0, countIsLowerBound: false, recent: [] });
  });
});

describe("small pieces", () => {
  it("derives a valid, stable uuid from an idempotency key", () => {
    const id = uuidFromKey("run-1:3:call_0");
    expect(id).toBe(uuidFromKey("run-1:3:call_0"));
    expect(id).not.toBe(uuidFromKey("run-1:3:call_1"));
    expect(z.uuid().safeParse(id).success).toBe(true);
  });

  it("reads the modal's When field: a phrase, a cron with or without quotes, nothing else", () => {
    expect(readWhen("every weekday at 9am")).toEqual({ ok: true, cron: "0 9 * * 1-5" });
    expect(readWhen("0 9 * * 1-5")).toEqual({ ok: true, cron: "0 9 * * 1-5" });
    expect(readWhen('"*/15 * * * *"')).toEqual({ ok: true, cron: "*/15 * * * *" });
    expect(readWhen("every day at 9 in Europe/Warsaw")).toEqual({
      ok: true,
      cron: "0 9 * * *",
      timezone: "Europe/Warsaw",
    });
    expect(readWhen("every day at 9 and then some")).toMatchObject({ ok: false });
    expect(readWhen("every 7 minutes")).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/divide an hour/),
    });
    expect(readWhen("")).toMatchObject({ ok: false });
  });

  it("reads the slot from a job scheduler's job id", () => {
    expect(slotOfWakeJob("repeat:schedule-abc:1767225600000")?.toISOString()).toBe(
      "2026-01-01T00:00:00.000Z",
    );
    expect(slotOfWakeJob("something-else")).toBeUndefined();
    expect(slotOfWakeJob(undefined)).toBeUndefined();
  });

  it("names a schedule after its task, without Slack link markup", () => {
    expect(defaultName("summarize <#C0123|support> for <@U0456>")).toBe("summarize #support for @U0456");
    expect(defaultName("read <https://example.com|the page>")).toBe("read the page");
    expect(defaultName("x".repeat(80))).toHaveLength(60);
  });

  it("heads a run with the schedule's name, the task, who owns it and how to manage it", () => {
    const schedule = {
      id: "5f0c6d1e-8d7a-4c1b-9f0e-2b3c4d5e6f70",
      name: "Support digest",
      prompt: "summarize <#C1|support>",
      ownerId: "U1",
      cron: "0 9 * * 1-5",
      timezone: "Europe/Warsaw",
      workspaceId: "T1",
    };
    const onTime = JSON.stringify(
      headerMessage(schedule, { scheduledAt: new Date(), late: false }, "/coworker"),
    );
    expect(onTime).toContain("*Support digest*");
    expect(onTime).toContain("summarize <#C1|support>");
    expect(onTime).toContain("At 09:00, Monday through Friday (Europe/Warsaw)");
    expect(onTime).toContain("owner <@U1>");
    expect(onTime).toContain("`/coworker schedule pause 5f0c6d1e`");
    expect(onTime).toContain('"action_id":"schedule.manage"');
    const late = JSON.stringify(
      headerMessage(schedule, { scheduledAt: new Date("2026-11-23T08:00:00Z"), late: true }, "/coworker"),
    );
    expect(late).toContain("Running late: this run was due Mon 23 Nov 2026, 09:00 (Europe/Warsaw)");
  });
});
