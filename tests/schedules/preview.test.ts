import { describe, expect, it } from "vitest";
import { isCodedError } from "../../src/errors.js";
import { formatRunTime, previewSchedule } from "../../src/schedules/preview.js";

describe("previewSchedule", () => {
  it("shows the normalized cron, the zone and the next three runs in that zone", () => {
    const preview = previewSchedule(" 0 9 * * mon-fri ", "Europe/Warsaw", new Date("2026-11-21T12:00:00Z"));
    expect(preview.cron).toBe("0 9 * * MON-FRI");
    expect(preview.timezone).toBe("Europe/Warsaw");
    expect(preview.description).toBe("At 09:00, Monday through Friday (Europe/Warsaw)");
    expect(preview.nextRuns.map((run) => run.at.toISOString())).toEqual([
      "2026-11-23T08:00:00.000Z",
      "2026-11-24T08:00:00.000Z",
      "2026-11-25T08:00:00.000Z",
    ]);
    expect(preview.nextRuns.map((run) => run.text)).toEqual([
      "Mon 23 Nov 2026, 09:00 (Europe/Warsaw)",
      "Tue 24 Nov 2026, 09:00 (Europe/Warsaw)",
      "Wed 25 Nov 2026, 09:00 (Europe/Warsaw)",
    ]);
    expect(preview.text).toBe(
      [
        "At 09:00, Monday through Friday (Europe/Warsaw), cron `0 9 * * MON-FRI`",
        "Next runs:",
        "• Mon 23 Nov 2026, 09:00 (Europe/Warsaw)",
        "• Tue 24 Nov 2026, 09:00 (Europe/Warsaw)",
        "• Wed 25 Nov 2026, 09:00 (Europe/Warsaw)",
      ].join("\n"),
    );
  });

  it("shows the run on a spring-forward day at the local time it really happens", () => {
    const preview = previewSchedule("30 2 * * *", "America/New_York", new Date("2026-03-07T12:00:00Z"));
    expect(preview.nextRuns.map((run) => run.text)).toEqual([
      "Sun 8 Mar 2026, 03:00 (America/New_York)",
      "Mon 9 Mar 2026, 02:30 (America/New_York)",
      "Tue 10 Mar 2026, 02:30 (America/New_York)",
    ]);
  });

  it("uses the same instants in another zone, formatted for that zone", () => {
    const preview = previewSchedule("0 9 * * *", "Asia/Shanghai", new Date("2026-01-01T00:00:00Z"));
    expect(preview.nextRuns.map((run) => run.text)).toEqual([
      "Thu 1 Jan 2026, 09:00 (Asia/Shanghai)",
      "Fri 2 Jan 2026, 09:00 (Asia/Shanghai)",
      "Sat 3 Jan 2026, 09:00 (Asia/Shanghai)",
    ]);
    expect(preview.nextRuns[0]?.at.toISOString()).toBe("2026-01-01T01:00:00.000Z");
  });

  it("fixes the zone's case and can show more runs", () => {
    const preview = previewSchedule("*/15 * * * *", "europe/warsaw", new Date("2026-01-01T00:00:00Z"), 5);
    expect(preview.timezone).toBe("Europe/Warsaw");
    expect(preview.nextRuns).toHaveLength(5);
  });

  it("throws schedule_invalid for a bad cron or zone", () => {
    for (const [cron, zone] of [
      ["0 0 9 * * *", "UTC"],
      ["0 9 * * *", "Nowhere/Special"],
    ] as const) {
      let caught: unknown;
      try {
        previewSchedule(cron, zone, new Date("2026-01-01T00:00:00Z"));
      } catch (error) {
        caught = error;
      }
      expect(isCodedError(caught, "schedule_invalid")).toBe(true);
    }
  });
});

describe("formatRunTime", () => {
  it("writes weekday, date and 24-hour time in the zone", () => {
    expect(formatRunTime(new Date("2026-11-23T08:00:00Z"), "Europe/Warsaw")).toBe(
      "Mon 23 Nov 2026, 09:00 (Europe/Warsaw)",
    );
    expect(formatRunTime(new Date("2026-07-04T21:05:00Z"), "America/New_York")).toBe(
      "Sat 4 Jul 2026, 17:05 (America/New_York)",
    );
    expect(formatRunTime(new Date("2026-12-31T16:00:00Z"), "Asia/Shanghai")).toBe(
      "Fri 1 Jan 2027, 00:00 (Asia/Shanghai)",
    );
  });
});
