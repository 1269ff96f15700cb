import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import type { BenchmarkResult, Figure } from "./figures.js";

/** bench/results/bench.json and bench.md: every figure next to its baseline, targets met or missed. */
export interface ContextBenchmark {
  ran: boolean;
  exitCode?: number | null;
  elapsedSeconds?: number;
  targets?: Array<{ name: string; met: boolean; detail: string }>;
  note?: string;
}

export interface BenchReport {
  startedAt: string;
  elapsedSeconds: number;
  machine: { cpus: number; model: string; memoryGiB: number; node: string };
  loadAverage: { atStart: number; atEnd: number; waitedSeconds: number; quiet: boolean; threshold: number };
  benchmarks: BenchmarkResult[];
  context: ContextBenchmark;
}

const resultsDirectory = fileURLToPath(new URL("../results/", import.meta.url));

export function machine(): BenchReport["machine"] {
  return {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}

export function writeBenchReport(report: BenchReport): string {
  mkdirSync(resultsDirectory, { recursive: true });
  writeFileSync(`${resultsDirectory}bench.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${resultsDirectory}bench.md`, renderMarkdown(report));
  return `${resultsDirectory}bench.md`;
}

function renderMarkdown(report: BenchReport): string {
  const { loadAverage } = report;
  const loads = report.benchmarks.flatMap((benchmark) => benchmark.loadAverage ?? []);
  const busy = loads.some((load) => load >= loadAverage.threshold);
  const lines = [
    "# Benchmarks",
    "",
    `Written ${report.startedAt}. ${report.machine.cpus} × ${report.machine.model}, ` +
      `${report.machine.memoryGiB} GiB, Node ${report.machine.node}.`,
    "",
    `Load average (1 min) while measuring: ${loads.length ? `${Math.min(...loads)} to ${Math.max(...loads)}` : "unknown"}` +
      (busy
        ? ` — the machine is shared, and at times it was over ${loadAverage.threshold}: absolute times are inflated, ratios less so.`
        : ` (under ${loadAverage.threshold} throughout).`),
    "",
    "Each figure is measured in the same run as its baseline; the ratio is figure ÷ baseline.",
    "",
    "| Benchmark | Figure | Value | Baseline | Ratio | Target | Met |",
    "| --- | --- | ---: | --- | ---: | --- | :---: |",
  ];
  for (const benchmark of report.benchmarks) {
    if (benchmark.error) {
      lines.push(
        `| ${benchmark.name} | (did not finish: ${benchmark.error.replaceAll("|", "/").slice(0, 200)}) | | | | | ✗ |`,
      );
      continue;
    }
    for (const item of benchmark.figures) lines.push(row(benchmark.name, item));
  }
  if (report.context.ran) {
    for (const target of report.context.targets ?? []) {
      lines.push(
        `| Context (bench/context) | ${target.name} | ${target.detail} | whole transcript | | ${target.name} | ${target.met ? "✓" : "✗"} |`,
      );
    }
  }
  lines.push("");
  const missed = report.benchmarks.flatMap((benchmark) =>
    benchmark.figures.filter((item) => item.met === false).map((item) => ({ benchmark, item })),
  );
  if (missed.length > 0) {
    lines.push("## Targets missed, and why", "");
    for (const { benchmark, item } of missed) {
      lines.push(
        `- **${benchmark.name}: ${item.name}** (${format(item.value, item.unit)}, target ${item.target}). ${item.whyMissed ?? ""}`,
      );
    }
    lines.push("");
  }
  lines.push("## How each was measured", "");
  for (const benchmark of report.benchmarks) {
    const load = benchmark.loadAverage
      ? ` Load average ${benchmark.loadAverage[0]} → ${benchmark.loadAverage[1]}.`
      : "";
    const when = benchmark.measuredAt ? `${benchmark.measuredAt.slice(0, 16).replace("T", " ")} UTC, ` : "";
    lines.push(`- **${benchmark.name}** (${when}${benchmark.elapsedSeconds} s).${load} ${benchmark.method}`);
  }
  lines.push(
    `- **Context (bench/context)**: ${
      report.context.ran
        ? `bench/context/run.ts (${report.context.elapsedSeconds ?? "?"} s, exit ${report.context.exitCode}); details in context.md.`
        : (report.context.note ?? "not run")
    }`,
    "",
  );
  return lines.join("\n");
}

function row(benchmark: string, item: Figure): string {
  const baseline = item.baseline
    ? `${item.baseline.name}: ${format(item.baseline.value, item.baseline.unit)}`
    : "";
  const ratio = item.ratio === undefined ? "" : `${item.ratio}`;
  const met = item.met === undefined ? "" : item.met ? "✓" : "✗";
  const value = `${format(item.value, item.unit)}${item.note ? ` (${item.note})` : ""}`;
  return `| ${benchmark} | ${item.name} | ${value} | ${baseline} | ${ratio} | ${item.target ?? ""} | ${met} |`;
}

function format(value: number, unit: string): string {
  return unit ? `${value} ${unit}` : `${value}`;
}
