import { describe, expect, it } from "vitest";
import { isCodedError } from "../../src/errors.js";
import { normalizeCron, validateCron } from "../../src/schedules/cron.js";
import { describeSchedule } from "../../src/schedules/describe.js";

describe("validateCron", () => {
  it.each([
    ["0 9 * * 1-5", "0 9 * * 1-5"],
    ["  0   9 *\t* 1-5 ", "0 9 * * 1-5"],
    ["0 9 * * mon-fri", "0 9 * * MON-FRI"],
    ["0 9 * jan,jul 1", "0 9 * JAN,JUL 1"],
    ["*/15 9-17 * * 1-5", "*/15 9-17 * * 1-5"],
    ["0 18 L * *", "0 18 L * *"],
    ["0 9 * * 5#3", "0 9 * * 5#3"],
    ["0 9 ? * 1", "0 9 ? * 1"],
    ["0 9 * * 7", "0 9 * * 7"],
    ["0 0 29 2 *", "0 0 29 2 *"],
    ["*/7 * * * *", "*/7 * * * *"],
    ["@daily", "0 0 * * *"],
    ["@HOURLY", "0 * * * *"],
    ["@weekly", "0 0 * * 0"],
    ["@monthly", "0 0 1 * *"],
    ["@yearly", "0 0 1 1 *"],
  ])("accepts %s as %s", (input, cron) => {
    expect(validateCron(input)).toEqual({ ok: true, cron });
  });

  it.each([
    ["", /empty/],
    ["0 0 9 * * 1", /6 fields; seconds are not supported/],
    ["0 0 9 * * 1 2026", /7 fields; cron needs exactly 5/],
    ["0 9 * *", /4 fields/],
    ["@reboot", /not a supported shortcut/],
    ["60 9 * * *", /60 is out of range for the minute field \(0-59\)/],
    ["0 24 * * *", /24 is out of range for the hour field \(0-23\)/],
    ["0 9 0 * *", /0 is out of range for the day-of-month field \(1-31\)/],
    ["0 9 * 13 *", /13 is out of range for the month field \(1-12\)/],
    ["0 9 * * 8", /8 is out of range for the day-of-week field \(0-7\)/],
    ["0 9-25 * * *", /25 is out of range for the hour field/],
    ["H 9 * * *", /random "H" values are not supported/],
    ["0 9 * * 1,,2", /empty list item/],
    ["0 9 * * 1;2", /characters cron does not use/],
    ["0 9 15W * *", /not a valid cron expression/],
    ["0 9 * * FOO", /not a valid cron expression/],
    ["*/0 9 * * *", /not a valid cron expression/],
    ["0 0 30 2 *", /not a valid cron expression/],
    ["0 9 * * 1#6", /not a valid cron expression/],
    ["0 9 * * 5-1", /not a valid cron expression \(Invalid range/],
  ])("rejects %j", (input, reason) => {
    const result = validateCron(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it("normalizeCron returns the normalized form or throws an expected schedule_invalid error", () => {
    expect(normalizeCron(" 0 9 * * fri ")).toBe("0 9 * * FRI");
    let caught: unknown;
    try {
      normalizeCron("0 0 9 * * 1");
    } catch (error) {
      caught = error;
    }
    expect(isCodedError(caught, "schedule_invalid")).toBe(true);
    expect(isCodedError(caught) && caught.expected).toBe(true);
  });
});

describe("describeSchedule", () => {
  it.each([
    ["0 9 * * 1-5", "At 09:00, Monday through Friday"],
    ["0 9 * * *", "At 09:00, every day"],
    ["0 9,17 * * *", "At 09:00 and 17:00, every day"],
    ["*/15 * * * *", "Every 15 minutes"],
    ["0 */2 * * *", "On the hour, every 2 hours"],
    ["0 8 1 * *", "At 08:00, on day 1 of the month"],
    ["0 18 L * *", "At 18:00, on the last day of the month"],
    ["@daily", "At 00:00, every day"],
  ])("%s is %j", (cron, text) => {
    expect(describeSchedule(cron)).toBe(text);
  });

  it("names the timezone when given one", () => {
    expect(describeSchedule("0 9 * * 1-5", "Europe/Warsaw")).toBe(
      "At 09:00, Monday through Friday (Europe/Warsaw)",
    );
  });
});
