import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { ChaosReport } from "./report.js";
import { defaultReportDirectory, reportDirectory, writeReport } from "./report.js";

/**
 * `npm run test:chaos` (CI) writes its report where git ignores it, so a CI run leaves the checkout
 * clean; the committed reports come from `npm run chaos:report` (bench/results/).
 */
const projectRoot = fileURLToPath(new URL("../..", import.meta.url));

describe("chaos report location", () => {
  it("defaults to a folder git ignores", () => {
    expect(reportDirectory(undefined)).toBe(defaultReportDirectory);
    const file = relative(projectRoot, join(defaultReportDirectory, "chaos-short.md"));
    // Exit status 0: ignored (a tracked or unignored path exits 1 and throws).
    expect(() =>
      execFileSync("git", ["check-ignore", "--quiet", "--no-index", file], { cwd: projectRoot }),
    ).not.toThrow();
    expect(reportDirectory("bench/results")).toBe(join(projectRoot, "bench", "results"));
  });

  it("writes the JSON and Markdown report into the chosen folder", () => {
    const directory = join(mkdtempSync(join(tmpdir(), "coworker-chaos-")), "reports");
    // The committed report of the last run, written again elsewhere.
    const report = JSON.parse(
      readFileSync(join(projectRoot, "bench", "results", "chaos-short.json"), "utf8"),
    ) as ChaosReport;
    const written = writeReport(report, directory);
    expect(written.json).toBe(join(directory, "chaos-short.json"));
    expect(JSON.parse(readFileSync(written.json, "utf8")).profile).toBe("short");
    expect(existsSync(written.markdown)).toBe(true);
  });
});
