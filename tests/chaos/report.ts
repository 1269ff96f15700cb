import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Injected } from "./injector.js";
import { type Findings, type InvariantName, invariantNames } from "./invariants.js";
import type { ChaosProfile } from "./profiles.js";

/**
 * The chaos run's report: chaos-<profile>.json and .md, by default in .local/reports/ (ignored by git,
 * so `npm run test:chaos` in CI leaves the checkout clean). `npm run chaos:report` writes the committed
 * ones in bench/results/ (CHAOS_REPORT_DIRECTORY=bench/results).
 */
export interface ChaosReport {
  profile: ChaosProfile["name"];
  settings: ChaosProfile;
  startedAt: string;
  durationMs: number;
  machine: { cpus: number; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  injected: Injected & {
    modelRateLimited: number;
    modelServerErrors: number;
    modelTimeouts: number;
    toolHangs: number;
  };
  summary: Findings["summary"];
  violations: Record<InvariantName, number>;
  violationsTotal: number;
  /** Up to five examples of each violation. */
  examples: Partial<Record<InvariantName, string[]>>;
}

const projectRoot = fileURLToPath(new URL("../../", import.meta.url));
export const defaultReportDirectory = join(projectRoot, ".local", "reports");

/** Where reports go: `directory` (relative to the project root) or .local/reports/. */
export function reportDirectory(directory: string | undefined): string {
  return directory ? resolve(projectRoot, directory) : defaultReportDirectory;
}

export function buildReport(input: {
  profile: ChaosProfile;
  startedAt: number;
  loadAtStart: number[];
  injected: ChaosReport["injected"];
  findings: Findings;
}): ChaosReport {
  const violations = Object.fromEntries(
    Object.entries(input.findings.violations).map(([name, list]) => [name, list.length]),
  ) as Record<InvariantName, number>;
  const examples = Object.fromEntries(
    Object.entries(input.findings.violations)
      .filter(([, list]) => list.length > 0)
      .map(([name, list]) => [name, list.slice(0, 5)]),
  );
  return {
    profile: input.profile.name,
    settings: input.profile,
    startedAt: new Date(input.startedAt).toISOString(),
    durationMs: Date.now() - input.startedAt,
    machine: { cpus: cpus().length, loadAverageAtStart: input.loadAtStart, loadAverageAtEnd: loadavg() },
    injected: input.injected,
    summary: input.findings.summary,
    violations,
    violationsTotal: Object.values(violations).reduce((sum, count) => sum + count, 0),
    examples,
  };
}

export function writeReport(
  report: ChaosReport,
  directory = defaultReportDirectory,
): { json: string; markdown: string } {
  mkdirSync(directory, { recursive: true });
  const json = join(directory, `chaos-${report.profile}.json`);
  const markdown = join(directory, `chaos-${report.profile}.md`);
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(markdown, renderMarkdown(report));
  return { json, markdown };
}

function renderMarkdown(report: ChaosReport): string {
  const { injected, summary } = report;
  const load = (values: number[]) => values.map((value) => value.toFixed(2)).join(" / ");
  const lines = [
    `# Chaos run: ${report.profile} profile`,
    "",
    `${report.startedAt}, ${(report.durationMs / 1000).toFixed(0)} s, ${report.machine.cpus} cores, load average ${load(report.machine.loadAverageAtStart)} at start and ${load(report.machine.loadAverageAtEnd)} at the end. Seed ${report.settings.seed}.`,
    "",
    `**Violations: ${report.violationsTotal}** (must be 0).`,
    "",
    "## Faults injected",
    "",
    "| Fault | Count |",
    "| --- | ---: |",
    `| Worker processes SIGKILLed | ${injected.workerKills} |`,
    `| Web process SIGKILLed | ${injected.webKills} |`,
    `| Redis restarted (append-only file) | ${injected.redisRestarts} |`,
    `| Postgres restarted | ${injected.postgresRestarts} |`,
    `| Slack 429 storms (${report.settings.slackStormMs / 1000} s each) | ${injected.slackRateLimitStorms} |`,
    `| Slack 5xx storms (${report.settings.slackStormMs / 1000} s each) | ${injected.slackServerErrorStorms} |`,
    `| Slack Web API calls answered 429/5xx | ${injected.slackCallsFaulted} |`,
    `| Model calls answered 429 | ${injected.modelRateLimited} |`,
    `| Model calls answered 500 | ${injected.modelServerErrors} |`,
    `| Model calls never answered (client timeout) | ${injected.modelTimeouts} |`,
    `| Tool calls that hung (tool timeout) | ${injected.toolHangs} |`,
    ...(injected.errors.length ? [`| Injection errors | ${injected.errors.length} |`] : []),
    "",
    "## Work",
    "",
    "| | Count |",
    "| --- | ---: |",
    `| Tasks (mentions) posted | ${summary.tasksPosted} |`,
    `| Tasks started (a run exists) | ${summary.tasksStarted} |`,
    `| Runs (tasks and follow-ups) | ${summary.runs} |`,
    `| Runs by status | ${Object.entries(summary.runsByStatus)
      .map(([status, count]) => `${status} ${count}`)
      .join(", ")} |`,
    `| Follow-ups posted | ${summary.followUpsPosted} (${summary.followUpsDeliveredAsNewRun} answered by a new run, the rest steered a running one) |`,
    `| Approvals requested / approved | ${summary.approvalsRequested} / ${summary.approvalsApproved} (${summary.approvalClickAttempts} click attempts) |`,
    `| Side effects executed (stand-in) | ${summary.effectsExecuted} |`,
    `| Model requests / answered | ${summary.modelRequests} / ${summary.modelAnswers} |`,
    `| Steps committed | ${summary.steps} |`,
    `| Deliveries Slack gave up on (not counted as violations) | ${summary.undeliveredBySlack} |`,
    "",
    "## Invariants",
    "",
    "| Invariant | Violations |",
    "| --- | ---: |",
    ...Object.entries(invariantNames).map(
      ([name, description]) => `| ${description} | ${report.violations[name as InvariantName]} |`,
    ),
    "",
  ];
  const examples = Object.entries(report.examples);
  if (examples.length > 0) {
    lines.push("## Examples", "");
    for (const [name, list] of examples) {
      lines.push(`- **${name}**`, ...(list ?? []).map((example) => `  - ${example}`));
    }
    lines.push("");
  }
  if (injected.errors.length)
    lines.push("## Injection errors", "", ...injected.errors.map((error) => `- ${error}`), "");
  return lines.join("\n");
}
