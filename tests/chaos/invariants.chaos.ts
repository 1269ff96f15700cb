import { describe, expect, it } from "vitest";
import { invariantNames } from "./invariants.js";
import { chaosProfile } from "./profiles.js";
import { reportDirectory, writeReport } from "./report.js";
import { runChaos } from "./run-chaos.js";

/**
 * The chaos suite (`npm run test:chaos`; CHAOS_PROFILE=full for the long one): many concurrent
 * multi-step tasks with side effects through the real stack while worker and web processes are
 * SIGKILLed, Redis and Postgres restart, Slack and the model fail in storms and a tool hangs. Every
 * invariant must hold: the report (chaos-<profile>.json and .md in .local/reports/, or in
 * CHAOS_REPORT_DIRECTORY: `npm run chaos:report` writes the committed ones in bench/results/) lists
 * the counts.
 */
const profile = chaosProfile(process.env.CHAOS_PROFILE, process.env.CHAOS_SEED);

describe(`chaos, ${profile.name} profile`, () => {
  it("keeps every invariant while processes die and dependencies fail", async () => {
    const report = await runChaos(profile, {
      log: (line) => console.log(line),
      logDirectory: process.env.CHAOS_LOG_DIRECTORY,
    });
    const written = writeReport(report, reportDirectory(process.env.CHAOS_REPORT_DIRECTORY));
    console.log(`chaos report: ${written.markdown}`);

    // The faults really happened, and the run is trustworthy.
    expect(report.injected.errors).toEqual([]);
    expect(report.injected.workerKills).toBeGreaterThan(0);
    expect(report.injected.webKills).toBe(profile.webKills);
    expect(report.injected.redisRestarts).toBe(profile.redisRestarts);
    expect(report.injected.postgresRestarts).toBe(profile.postgresRestarts);
    expect(report.summary.tasksPosted).toBe(profile.tasks);

    // Zero violations of every invariant.
    const none = Object.fromEntries(Object.keys(invariantNames).map((name) => [name, 0]));
    expect(report.violations).toEqual(none);
    expect(report.summary.effectsExecuted).toBeGreaterThan(0);
  });
});
