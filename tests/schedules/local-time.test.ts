import { describe, expect, it } from "vitest";
import { createZoneClock } from "../../src/schedules/local-time.js";
import { canonicalTimezone, isValidTimezone, looksLikeTimezone } from "../../src/schedules/timezone.js";

const HOUR = 3_600_000;

describe("createZoneClock", () => {
  it("reads the wall clock and offset at an instant", () => {
    const warsaw = createZoneClock("Europe/Warsaw");
    expect(warsaw.localEpochAt(Date.parse("2026-01-15T10:00:00.900Z"))).toBe(
      Date.parse("2026-01-15T11:00:00Z"),
    );
    expect(warsaw.offsetAt(Date.parse("2026-01-15T10:00:00Z"))).toBe(HOUR);
    expect(warsaw.offsetAt(Date.parse("2026-07-15T10:00:00Z"))).toBe(2 * HOUR);
    expect(createZoneClock("America/New_York").offsetAt(Date.parse("2026-07-15T10:00:00Z"))).toBe(-4 * HOUR);
  });

  it("maps an ordinary wall-clock time to its one instant", () => {
    const clock = createZoneClock("America/New_York");
    expect(new Date(clock.firstInstantAtOrAfter(Date.parse("2026-01-15T09:00:00Z"))).toISOString()).toBe(
      "2026-01-15T14:00:00.000Z",
    );
  });

  it("maps a skipped time to the end of the gap, and a repeated time to its first occurrence", () => {
    const newYork = createZoneClock("America/New_York");
    for (const skipped of ["2026-03-08T02:00:00Z", "2026-03-08T02:30:00Z", "2026-03-08T02:59:59Z"]) {
      expect(new Date(newYork.firstInstantAtOrAfter(Date.parse(skipped))).toISOString()).toBe(
        "2026-03-08T07:00:00.000Z",
      );
    }
    expect(new Date(newYork.firstInstantAtOrAfter(Date.parse("2026-11-01T01:30:00Z"))).toISOString()).toBe(
      "2026-11-01T05:30:00.000Z",
    );
    const warsaw = createZoneClock("Europe/Warsaw");
    expect(new Date(warsaw.firstInstantAtOrAfter(Date.parse("2026-03-29T02:30:00Z"))).toISOString()).toBe(
      "2026-03-29T01:00:00.000Z",
    );
    expect(new Date(warsaw.firstInstantAtOrAfter(Date.parse("2026-10-25T02:30:00Z"))).toISOString()).toBe(
      "2026-10-25T00:30:00.000Z",
    );
  });

  it("maps a whole skipped day to the jump (Pacific/Apia, 30 December 2011)", () => {
    const apia = createZoneClock("Pacific/Apia");
    expect(new Date(apia.firstInstantAtOrAfter(Date.parse("2011-12-30T12:00:00Z"))).toISOString()).toBe(
      "2011-12-30T10:00:00.000Z",
    );
  });

  it("never maps a later wall-clock time to an earlier instant, around each 2026 change", () => {
    const changes: Record<string, string[]> = {
      "America/New_York": ["2026-03-08", "2026-11-01"],
      "Europe/Warsaw": ["2026-03-29", "2026-10-25"],
      "Australia/Lord_Howe": ["2026-04-05", "2026-10-04"],
      "America/Santiago": ["2026-04-05", "2026-09-06"],
    };
    for (const [zone, days] of Object.entries(changes)) {
      const clock = createZoneClock(zone);
      for (const day of days) {
        let previous = Number.NEGATIVE_INFINITY;
        const from = Date.parse(`${day}T00:00:00Z`) - 36 * HOUR;
        for (let local = from; local < from + 72 * HOUR; local += 5 * 60_000) {
          const instant = clock.firstInstantAtOrAfter(local);
          expect(instant).toBeGreaterThanOrEqual(previous);
          expect(clock.localEpochAt(instant)).toBeGreaterThanOrEqual(local);
          // Nothing earlier reads `local` or later: this is the first such instant.
          expect(clock.localEpochAt(instant - 1000)).toBeLessThan(local);
          previous = instant;
        }
      }
    }
  });
});

describe("timezone names", () => {
  it("validates with Intl", () => {
    expect(isValidTimezone("Europe/Warsaw")).toBe(true);
    expect(isValidTimezone("UTC")).toBe(true);
    expect(isValidTimezone("Europe/Warsw")).toBe(false);
    expect(isValidTimezone("")).toBe(false);
    expect(isValidTimezone(" Europe/Warsaw")).toBe(false);
  });

  it("fixes case without replacing the name the user chose", () => {
    expect(canonicalTimezone("europe/warsaw")).toBe("Europe/Warsaw");
    expect(canonicalTimezone("AMERICA/NEW_YORK")).toBe("America/New_York");
    expect(canonicalTimezone("Asia/Kolkata")).toBe("Asia/Kolkata");
    expect(canonicalTimezone("asia/kolkata")).toBe("Asia/Kolkata");
    expect(canonicalTimezone("utc")).toBe("UTC");
    expect(canonicalTimezone("Nowhere/Special")).toBeUndefined();
  });

  it("tells a zone from other words after 'in'", () => {
    expect(looksLikeTimezone("Europe/Warsaw")).toBe(true);
    expect(looksLikeTimezone("europe/warsaw")).toBe(true);
    expect(looksLikeTimezone("Mars/Olympus")).toBe(true);
    expect(looksLikeTimezone("UTC")).toBe(true);
    expect(looksLikeTimezone("#general")).toBe(false);
    expect(looksLikeTimezone("docs/readme.md")).toBe(false);
    expect(looksLikeTimezone("the")).toBe(false);
  });
});
