import { describe, expect, it } from "vitest";
import { parseScheduleCommand, type ScheduleParseResult } from "../../src/schedules/command.js";
import { validateCron } from "../../src/schedules/cron.js";
import {
  issuePhrases,
  quotedCrons,
  rejectedSchedulePhrases,
  rejectedTimezonePhrases,
  variantPhrases,
  zonedPhrases,
} from "./support/phrases.js";

function accepted(text: string) {
  const result = parseScheduleCommand(text);
  if (!result.ok) throw new Error(`expected "${text}" to parse, got: ${result.reason}`);
  return result;
}

function rejected(text: string) {
  const result: ScheduleParseResult = parseScheduleCommand(text);
  if (result.ok) throw new Error(`expected "${text}" to be rejected, got cron ${result.cron}`);
  return result;
}

describe("parseScheduleCommand: phrases from the issue", () => {
  it.each(issuePhrases)("%s", (text, cron, task, description) => {
    const result = accepted(text);
    expect(result).toEqual({ ok: true, cron, task, description });
    expect(validateCron(result.cron)).toEqual({ ok: true, cron });
  });
});

describe("parseScheduleCommand: common variants", () => {
  it.each(variantPhrases)("%s", (text, cron) => {
    expect(accepted(text).cron).toBe(cron);
  });

  it("keeps the task's own words and case, and drops a separator after the schedule", () => {
    expect(accepted("every day at 9: Check the LOGS").task).toBe("Check the LOGS");
    expect(accepted("every day at 9, Check the LOGS").task).toBe("Check the LOGS");
    expect(accepted("every day at 9 in Europe/Warsaw. Check the LOGS").task).toBe("Check the LOGS");
    expect(accepted("every day at 9 check .env files").task).toBe("check .env files");
    expect(accepted("Every Weekday At 9AM — Summarize #support").task).toBe("Summarize #support");
  });

  it("leaves a task ending in words that are not a timezone alone", () => {
    expect(accepted("every day at 9 post the summary in #general")).toMatchObject({
      task: "post the summary in #general",
    });
    expect(accepted("every day at 9 back up in docs/backups")).toMatchObject({
      task: "back up in docs/backups",
    });
  });

  it("leaves words after 'in' that are not a timezone to the task", () => {
    expect(accepted("every day at 9 in #general post hello")).toMatchObject({
      cron: "0 9 * * *",
      task: "in #general post hello",
    });
    expect(accepted("every day at 9 in #general post hello").timezone).toBeUndefined();
  });

  it("does not read a word that starts like a time unit as one ('amend' is not 'am')", () => {
    expect(accepted("every day at 9 amend the report")).toMatchObject({
      cron: "0 9 * * *",
      task: "amend the report",
    });
  });
});

describe("parseScheduleCommand: quoted cron", () => {
  it.each(quotedCrons)("%s", (text, cron) => {
    const result = accepted(text);
    expect(result.cron).toBe(cron);
    expect(result.task).not.toBe("");
  });

  it("returns the task after the closing quote", () => {
    expect(accepted('"0 9 * * 1-5" summarize #support')).toEqual({
      ok: true,
      cron: "0 9 * * 1-5",
      task: "summarize #support",
      description: "At 09:00, Monday through Friday",
    });
  });
});

describe("parseScheduleCommand: timezone", () => {
  it("has no timezone unless the text names one, so the caller's default applies", () => {
    expect("timezone" in accepted("every weekday at 9am summarize")).toBe(false);
    expect("timezone" in accepted('"0 9 * * 1-5" summarize')).toBe(false);
  });

  it.each(zonedPhrases)("%s", (text, cron, task) => {
    expect(accepted(text)).toEqual({
      ok: true,
      cron,
      timezone: "Europe/Warsaw",
      task,
      description: "At 09:00, Monday through Friday (Europe/Warsaw)",
    });
  });

  it("accepts UTC and other IANA names, fixing their case", () => {
    expect(accepted("in UTC every day at 9 report").timezone).toBe("UTC");
    expect(accepted("every day at 9 in america/new_york report").timezone).toBe("America/New_York");
    expect(accepted("every day at 9 in Asia/Shanghai report").timezone).toBe("Asia/Shanghai");
  });

  it.each(rejectedTimezonePhrases)("rejects %s", (text, reason) => {
    expect(rejected(text).reason).toMatch(reason);
  });
});

describe("parseScheduleCommand: rejected input says why and shows examples", () => {
  it.each(rejectedSchedulePhrases)("%s", (text, reason) => {
    const result = rejected(text);
    expect(result.reason).toMatch(reason);
    expect(result.examples.length).toBeGreaterThan(0);
    // Every example shown to the user is itself accepted.
    for (const example of result.examples) expect(parseScheduleCommand(example).ok).toBe(true);
  });
});
