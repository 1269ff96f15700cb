import { CronExpressionParser } from "cron-parser";
import { describe, expect, it } from "vitest";
import { isCodedError } from "../../src/errors.js";
import { createZoneClock } from "../../src/schedules/local-time.js";
import { nextRun, nextRuns, runsAfter, ticksBetween } from "../../src/schedules/occurrences.js";

function iso(dates: Date[]): string[] {
  return dates.map((date) => date.toISOString());
}

/** "2026-03-08 03:00" in the zone, for asserting what people in that zone see. */
function local(date: Date, timezone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: timezone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(date);
  const part = (type: string) => parts.find((item) => item.type === type)?.value;
  return `${part("year")}-${part("month")}-${part("day")} ${part("hour")}:${part("minute")}`;
}

function runsOnLocalDay(runs: Date[], timezone: string, day: string): string[] {
  return runs.map((run) => local(run, timezone)).filter((text) => text.startsWith(day));
}

describe("nextRuns across daylight saving in America/New_York", () => {
  const zone = "America/New_York";

  it("runs a 02:30 schedule once on the spring-forward day, at 03:00 EDT when the clock jumps", () => {
    const runs = nextRuns("30 2 * * *", zone, new Date("2026-03-06T12:00:00Z"), 4);
    expect(iso(runs)).toEqual([
      "2026-03-07T07:30:00.000Z", // 02:30 EST
      "2026-03-08T07:00:00.000Z", // 02:30 does not exist: 03:00 EDT
      "2026-03-09T06:30:00.000Z", // 02:30 EDT
      "2026-03-10T06:30:00.000Z",
    ]);
    expect(runsOnLocalDay(runs, zone, "2026-03-08")).toEqual(["2026-03-08 03:00"]);
  });

  it("runs a 01:30 schedule once on the fall-back day, at the first 01:30 (EDT)", () => {
    const runs = nextRuns("30 1 * * *", zone, new Date("2026-10-30T12:00:00Z"), 4);
    expect(iso(runs)).toEqual([
      "2026-10-31T05:30:00.000Z", // 01:30 EDT
      "2026-11-01T05:30:00.000Z", // first 01:30 (EDT); the second one, 06:30Z EST, is skipped
      "2026-11-02T06:30:00.000Z", // 01:30 EST
      "2026-11-03T06:30:00.000Z",
    ]);
    expect(runsOnLocalDay(runs, zone, "2026-11-01")).toEqual(["2026-11-01 01:30"]);
  });

  it("does not run the second 01:30 when asked from between the two", () => {
    expect(nextRun("30 1 * * *", zone, new Date("2026-11-01T05:30:00Z"))?.toISOString()).toBe(
      "2026-11-02T06:30:00.000Z",
    );
    expect(nextRun("30 1 * * *", zone, new Date("2026-11-01T05:45:00Z"))?.toISOString()).toBe(
      "2026-11-02T06:30:00.000Z",
    );
    expect(nextRun("30 1 * * *", zone, new Date("2026-11-01T06:15:00Z"))?.toISOString()).toBe(
      "2026-11-02T06:30:00.000Z",
    );
  });

  it("runs the skipped time at the jump when asked from just before it, and not again after", () => {
    expect(nextRun("30 2 * * *", zone, new Date("2026-03-08T06:59:59Z"))?.toISOString()).toBe(
      "2026-03-08T07:00:00.000Z",
    );
    expect(nextRun("30 2 * * *", zone, new Date("2026-03-08T07:00:00Z"))?.toISOString()).toBe(
      "2026-03-09T06:30:00.000Z",
    );
  });

  it("collapses several skipped times into one run, and a skipped time into a scheduled 03:00", () => {
    const quarterHours = nextRuns("*/15 2 * * *", zone, new Date("2026-03-07T12:00:00Z"), 3);
    expect(iso(quarterHours)).toEqual([
      "2026-03-08T07:00:00.000Z",
      "2026-03-09T06:00:00.000Z",
      "2026-03-09T06:15:00.000Z",
    ]);
    const twoAndThree = nextRuns("0 2,3 * * *", zone, new Date("2026-03-07T12:00:00Z"), 3);
    expect(iso(twoAndThree)).toEqual([
      "2026-03-08T07:00:00.000Z",
      "2026-03-09T06:00:00.000Z",
      "2026-03-09T07:00:00.000Z",
    ]);
  });

  it("keeps interval schedules on local times: hourly skips 02:00 in spring, pauses in the repeated hour in autumn", () => {
    const spring = nextRuns("0 * * * *", zone, new Date("2026-03-08T04:30:00Z"), 4);
    expect(spring.map((run) => local(run, zone))).toEqual([
      "2026-03-08 00:00",
      "2026-03-08 01:00",
      "2026-03-08 03:00",
      "2026-03-08 04:00",
    ]);
    expect(iso(spring)).toEqual([
      "2026-03-08T05:00:00.000Z",
      "2026-03-08T06:00:00.000Z",
      "2026-03-08T07:00:00.000Z",
      "2026-03-08T08:00:00.000Z",
    ]);
    const autumn = nextRuns("*/30 * * * *", zone, new Date("2026-11-01T04:00:00Z"), 5);
    expect(iso(autumn)).toEqual([
      "2026-11-01T04:30:00.000Z", // 00:30 EDT
      "2026-11-01T05:00:00.000Z", // 01:00 EDT
      "2026-11-01T05:30:00.000Z", // 01:30 EDT
      "2026-11-01T07:00:00.000Z", // 02:00 EST: 01:00 and 01:30 EST already ran as EDT
      "2026-11-01T07:30:00.000Z",
    ]);
  });
});

describe("nextRuns across daylight saving in Europe/Warsaw", () => {
  const zone = "Europe/Warsaw";

  it("runs a 02:30 schedule once on the spring-forward day, at 03:00 CEST", () => {
    const runs = nextRuns("30 2 * * *", zone, new Date("2026-03-27T12:00:00Z"), 4);
    expect(iso(runs)).toEqual([
      "2026-03-28T01:30:00.000Z", // 02:30 CET
      "2026-03-29T01:00:00.000Z", // 02:30 does not exist: 03:00 CEST
      "2026-03-30T00:30:00.000Z", // 02:30 CEST
      "2026-03-31T00:30:00.000Z",
    ]);
    expect(runsOnLocalDay(runs, zone, "2026-03-29")).toEqual(["2026-03-29 03:00"]);
  });

  it("runs a 02:30 schedule once on the fall-back day, at the first 02:30 (CEST)", () => {
    const runs = nextRuns("30 2 * * *", zone, new Date("2026-10-23T12:00:00Z"), 4);
    expect(iso(runs)).toEqual([
      "2026-10-24T00:30:00.000Z", // 02:30 CEST
      "2026-10-25T00:30:00.000Z", // first 02:30 (CEST); the second one, 01:30Z CET, is skipped
      "2026-10-26T01:30:00.000Z", // 02:30 CET
      "2026-10-27T01:30:00.000Z",
    ]);
    expect(runsOnLocalDay(runs, zone, "2026-10-25")).toEqual(["2026-10-25 02:30"]);
    expect(nextRun("30 2 * * *", zone, new Date("2026-10-25T01:00:00Z"))?.toISOString()).toBe(
      "2026-10-26T01:30:00.000Z",
    );
  });

  it("keeps a 09:00 weekday schedule at 09:00 local on both sides of each change", () => {
    const spring = nextRuns("0 9 * * 1-5", zone, new Date("2026-03-26T12:00:00Z"), 3);
    expect(iso(spring)).toEqual([
      "2026-03-27T08:00:00.000Z",
      "2026-03-30T07:00:00.000Z",
      "2026-03-31T07:00:00.000Z",
    ]);
    const autumn = nextRuns("0 9 * * 1-5", zone, new Date("2026-10-22T12:00:00Z"), 3);
    expect(iso(autumn)).toEqual([
      "2026-10-23T07:00:00.000Z",
      "2026-10-26T08:00:00.000Z",
      "2026-10-27T08:00:00.000Z",
    ]);
  });
});

describe("nextRuns in other zones", () => {
  it("is plain in Asia/Shanghai (no daylight saving) on the US and EU change days", () => {
    const runs = nextRuns("0 9 * * *", "Asia/Shanghai", new Date("2026-03-07T12:00:00Z"), 3);
    expect(iso(runs)).toEqual([
      "2026-03-08T01:00:00.000Z",
      "2026-03-09T01:00:00.000Z",
      "2026-03-10T01:00:00.000Z",
    ]);
    const autumn = nextRuns("30 2 * * *", "Asia/Shanghai", new Date("2026-10-24T12:00:00Z"), 2);
    expect(iso(autumn)).toEqual(["2026-10-24T18:30:00.000Z", "2026-10-25T18:30:00.000Z"]);
  });

  it("matches cron-parser exactly where there is no daylight saving", () => {
    for (const cron of [
      "0 9 * * 1-5",
      "*/15 * * * *",
      "0 8 1 * *",
      "0 18 L * *",
      "30 14 * * 1",
      "0 */2 * * 0,6",
    ]) {
      const after = new Date("2026-01-15T10:07:00Z");
      const expected = CronExpressionParser.parse(cron, { tz: "Asia/Shanghai", currentDate: after })
        .take(20)
        .map((date) => date.toISOString());
      expect(iso(nextRuns(cron, "Asia/Shanghai", after, 20))).toEqual(expected);
    }
  });

  it("runs on a day whose midnight does not exist (America/Santiago, America/Havana)", () => {
    // cron-parser's own timezone mode skips these days entirely.
    expect(iso(nextRuns("0 0 * * *", "America/Santiago", new Date("2026-09-04T12:00:00Z"), 3))).toEqual([
      "2026-09-05T04:00:00.000Z",
      "2026-09-06T04:00:00.000Z", // 00:00 does not exist: 01:00 -03
      "2026-09-07T03:00:00.000Z",
    ]);
    expect(iso(nextRuns("30 0 * * *", "America/Havana", new Date("2026-03-06T12:00:00Z"), 3))).toEqual([
      "2026-03-07T05:30:00.000Z",
      "2026-03-08T05:00:00.000Z", // 00:30 does not exist: 01:00 CDT
      "2026-03-09T04:30:00.000Z",
    ]);
  });

  it("handles a 30-minute change (Australia/Lord_Howe, 02:00 back to 01:30)", () => {
    expect(iso(nextRuns("45 1 * * *", "Australia/Lord_Howe", new Date("2026-04-03T12:00:00Z"), 3))).toEqual([
      "2026-04-03T14:45:00.000Z",
      "2026-04-04T14:45:00.000Z", // first 01:45 (+11:00); the second one (+10:30) is skipped
      "2026-04-05T15:15:00.000Z",
    ]);
  });
});

describe("nextRuns invariants", () => {
  const zones = [
    "America/New_York",
    "Europe/Warsaw",
    "America/Santiago",
    "Australia/Lord_Howe",
    "Asia/Shanghai",
  ];
  const crons = [
    "30 2 * * *",
    "30 1 * * *",
    "*/15 * * * *",
    "0 * * * *",
    "0 0 * * *",
    "0 9 * * 1-5",
    "15 1,2,3 * * 0",
  ];
  const starts = [
    "2026-03-07T00:00:00Z",
    "2026-03-28T20:00:00Z",
    "2026-04-04T10:00:00Z",
    "2026-09-05T20:00:00Z",
  ];
  const moreStarts = ["2026-10-24T20:00:00Z", "2026-10-31T20:00:00Z"];

  it("gives increasing runs after the start, each at a distinct local time matching the cron or at a clock jump", () => {
    for (const zone of zones) {
      const clock = createZoneClock(zone);
      for (const cron of crons) {
        const matcher = CronExpressionParser.parse(cron, { tz: "UTC" });
        for (const start of [...starts, ...moreStarts]) {
          const after = new Date(start);
          const runs = nextRuns(cron, zone, after, 60);
          expect(runs).toHaveLength(60);
          let previous = after.getTime();
          const localTimes = new Set<number>();
          for (const run of runs) {
            const instant = run.getTime();
            expect(instant).toBeGreaterThan(previous);
            previous = instant;
            const localEpoch = clock.localEpochAt(instant);
            expect(localTimes.has(localEpoch)).toBe(false);
            localTimes.add(localEpoch);
            const atJump = clock.offsetAt(instant - 1000) !== clock.offsetAt(instant);
            expect(atJump || matcher.includesDate(new Date(localEpoch))).toBe(true);
          }
        }
      }
    }
  });

  it("gives the same runs when resumed from any run, as a scheduler computing one run at a time does", () => {
    for (const zone of zones) {
      for (const cron of crons) {
        const after = new Date("2026-03-07T00:00:00Z");
        const all = nextRuns(cron, zone, after, 40);
        const stepped: Date[] = [];
        let cursor = after;
        for (let index = 0; index < 40; index += 1) {
          const next = nextRun(cron, zone, cursor);
          if (next === undefined) throw new Error("schedule ended");
          stepped.push(next);
          cursor = next;
        }
        expect(iso(stepped)).toEqual(iso(all));
      }
    }
  });

  it("iterates lazily with runsAfter", () => {
    const iterator = runsAfter("0 9 * * *", "UTC", new Date("2026-01-01T00:00:00Z"));
    expect(iterator.next().value?.toISOString()).toBe("2026-01-01T09:00:00.000Z");
    expect(iterator.next().value?.toISOString()).toBe("2026-01-02T09:00:00.000Z");
  });

  it("treats `after` as exclusive, to the millisecond", () => {
    expect(nextRun("0 9 * * *", "UTC", new Date("2026-01-01T09:00:00.000Z"))?.toISOString()).toBe(
      "2026-01-02T09:00:00.000Z",
    );
    expect(nextRun("0 9 * * *", "UTC", new Date("2026-01-01T08:59:59.999Z"))?.toISOString()).toBe(
      "2026-01-01T09:00:00.000Z",
    );
  });

  it("rejects a bad cron, timezone, date or count with a schedule_invalid error", () => {
    const after = new Date("2026-01-01T00:00:00Z");
    const attempts = [
      () => nextRuns("0 0 9 * * *", "UTC", after, 3),
      () => nextRuns("0 9 * * *", "Mars/Olympus", after, 3),
      () => nextRuns("0 9 * * *", "UTC", new Date("nonsense"), 3),
      () => nextRuns("0 9 * * *", "UTC", after, -1),
      () => nextRuns("0 9 * * *", "UTC", after, 1.5),
    ];
    for (const attempt of attempts) {
      let caught: unknown;
      try {
        attempt();
      } catch (error) {
        caught = error;
      }
      expect(isCodedError(caught, "schedule_invalid")).toBe(true);
    }
    expect(nextRuns("0 9 * * *", "UTC", after, 0)).toEqual([]);
  });
});

describe("ticksBetween", () => {
  it("counts runs in (from, to]: the last run is excluded, a run at `to` is included", () => {
    const ticks = ticksBetween(
      "0 9 * * *",
      "Europe/Warsaw",
      new Date("2026-03-28T08:00:00Z"), // the Saturday run that happened
      new Date("2026-03-31T07:00:00Z"), // exactly Tuesday's run
    );
    expect(iso(ticks.runs)).toEqual([
      "2026-03-29T07:00:00.000Z",
      "2026-03-30T07:00:00.000Z",
      "2026-03-31T07:00:00.000Z",
    ]);
    expect(ticks.truncated).toBe(false);
  });

  it("counts each local quarter hour once over the change days", () => {
    const zone = "America/New_York";
    // Local Nov 1 has 25 hours, and each of its 96 quarter hours runs once.
    const autumn = ticksBetween(
      "*/15 * * * *",
      zone,
      new Date("2026-11-01T03:59:00Z"),
      new Date("2026-11-02T04:59:00Z"),
    );
    expect(autumn.runs).toHaveLength(96);
    expect(new Set(autumn.runs.map((run) => local(run, zone))).size).toBe(96);
    // Local Mar 8 has 23 hours: 02:00 to 02:45 collapse into the run at 03:00.
    const spring = ticksBetween(
      "*/15 * * * *",
      zone,
      new Date("2026-03-08T04:59:00Z"),
      new Date("2026-03-09T03:59:00Z"),
    );
    expect(spring.runs).toHaveLength(92);
  });

  it("stops at the limit and says it did", () => {
    const ticks = ticksBetween(
      "* * * * *",
      "UTC",
      new Date("2026-01-01T00:00:00Z"),
      new Date("2026-01-08T00:00:00Z"),
      {
        limit: 100,
      },
    );
    expect(ticks.runs).toHaveLength(100);
    expect(ticks.truncated).toBe(true);
    expect(ticks.runs.at(-1)?.toISOString()).toBe("2026-01-01T01:40:00.000Z");
    const exact = ticksBetween(
      "* * * * *",
      "UTC",
      new Date("2026-01-01T00:00:00Z"),
      new Date("2026-01-01T01:40:00Z"),
      {
        limit: 100,
      },
    );
    expect(exact).toMatchObject({ truncated: false });
    expect(exact.runs).toHaveLength(100);
  });

  it("is empty when nothing was missed, and defaults to a limit of 1000", () => {
    expect(
      ticksBetween("0 9 * * *", "UTC", new Date("2026-01-01T09:00:00Z"), new Date("2026-01-02T08:59:00Z")),
    ).toEqual({
      runs: [],
      truncated: false,
    });
    const year = ticksBetween(
      "0 * * * *",
      "UTC",
      new Date("2026-01-01T00:00:00Z"),
      new Date("2027-01-01T00:00:00Z"),
    );
    expect(year).toMatchObject({ truncated: true });
    expect(year.runs).toHaveLength(1000);
  });

  it("rejects a limit that is not a positive whole number", () => {
    const attempt = () =>
      ticksBetween("0 9 * * *", "UTC", new Date("2026-01-01T00:00:00Z"), new Date("2026-01-02T00:00:00Z"), {
        limit: 0,
      });
    expect(attempt).toThrow(/limit must be a whole number/);
  });
});
