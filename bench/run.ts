import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ackLatencyBenchmark } from "./ack-latency.js";
import { concurrencyBenchmark } from "./concurrency.js";
import { recoveryBenchmark } from "./recovery.js";
import { stepOverheadBenchmark } from "./step-overhead.js";
import { type BenchEnvironment, startBenchEnvironment } from "./support/environment.js";
import type { BenchmarkResult } from "./support/figures.js";
import { loadAverage, waitForQuietMachine } from "./support/load.js";
import { type BenchReport, type ContextBenchmark, machine, writeBenchReport } from "./support/report.js";
import { throughputBenchmark } from "./throughput.js";

/**
 * `npm run bench`: every benchmark, one after the other, on private Postgres and Redis servers, then
 * the context benchmark (bench/context/run.ts) when it exists. Writes bench/results/bench.json and
 * bench.md. Options (environment): BENCH_ONLY=ack,steps,throughput,concurrency,recovery,context runs
 * a subset; BENCH_WAIT_FOR_QUIET_MINUTES=30 first waits (up to that long) for the load average to fall
 * under BENCH_LOAD_THRESHOLD (default 3).
 */
const benchmarks: Record<
  string,
  (environment: BenchEnvironment, log: (line: string) => void) => Promise<BenchmarkResult>
> = {
  ack: ackLatencyBenchmark,
  steps: stepOverheadBenchmark,
  throughput: throughputBenchmark,
  concurrency: concurrencyBenchmark,
  recovery: recoveryBenchmark,
};
const root = fileURLToPath(new URL("..", import.meta.url));
const contextEntry = fileURLToPath(new URL("./context/run.ts", import.meta.url));
const contextResults = fileURLToPath(new URL("./results/context.json", import.meta.url));

function log(line: string): void {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
}

async function main(): Promise<void> {
  const started = Date.now();
  const only = process.env.BENCH_ONLY?.split(",").map((name) => name.trim());
  const threshold = Number(process.env.BENCH_LOAD_THRESHOLD ?? 3);
  const waitMinutes = Number(process.env.BENCH_WAIT_FOR_QUIET_MINUTES ?? 0);
  const wait = await waitForQuietMachine(threshold, waitMinutes * 60_000, log);
  const atStart = loadAverage();
  log(`load average ${atStart}`);

  const results: BenchmarkResult[] = [];
  const environment = await startBenchEnvironment();
  try {
    for (const [name, run] of Object.entries(benchmarks)) {
      if (only && !only.includes(name)) continue;
      log(`${name}: running`);
      const loadBefore = loadAverage();
      const began = Date.now();
      try {
        const result = { ...(await run(environment, (line) => log(`${name}: ${line}`))), key: name };
        results.push({
          ...result,
          measuredAt: new Date(began).toISOString(),
          loadAverage: [loadBefore, loadAverage()],
        });
        for (const item of result.figures) {
          const baseline = item.baseline
            ? ` (baseline ${item.baseline.value} ${item.baseline.unit}, ratio ${item.ratio})`
            : "";
          log(
            `${name}: ${item.name} = ${item.value} ${item.unit}${baseline}${item.met === undefined ? "" : item.met ? " ✓" : " ✗"}`,
          );
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log(`${name}: failed: ${message}`);
        results.push({
          key: name,
          name,
          method: "",
          figures: [],
          elapsedSeconds: Math.round((Date.now() - began) / 1000),
          loadAverage: [loadBefore, loadAverage()],
          error: message,
        });
      }
    }
  } finally {
    await environment.close();
  }

  const context =
    !only || only.includes("context") ? await runContextBenchmark() : { ran: false, note: "not selected" };
  // With BENCH_ONLY, the other benchmarks' figures (and the context benchmark's) are kept from the
  // previous report; each benchmark says when it was measured and under what load.
  const previous = only ? previousReport() : undefined;
  const order = Object.keys(benchmarks);
  const kept = (previous?.benchmarks ?? []).filter(
    (old) => !results.some((result) => result.key === old.key || result.name === old.name),
  );
  const written = writeBenchReport({
    startedAt: new Date(started).toISOString(),
    elapsedSeconds: Math.round((Date.now() - started) / 1000),
    machine: machine(),
    loadAverage: {
      atStart,
      atEnd: loadAverage(),
      waitedSeconds: Math.round(wait.waitedMs / 1000),
      quiet: wait.quiet && atStart < threshold,
      threshold,
    },
    benchmarks: [...kept, ...results].sort((a, b) => order.indexOf(a.key ?? "") - order.indexOf(b.key ?? "")),
    context: context.ran || !previous ? context : previous.context,
  });
  log(`report: ${written}`);
  if (results.some((result) => result.error) || (context.ran && context.exitCode !== 0)) process.exitCode = 1;
}

function previousReport(): BenchReport | undefined {
  try {
    return JSON.parse(
      readFileSync(fileURLToPath(new URL("./results/bench.json", import.meta.url)), "utf8"),
    ) as BenchReport;
  } catch {
    return undefined;
  }
}

/** Runs bench/context/run.ts (another engineer's benchmark) as it is, and picks up its targets. */
async function runContextBenchmark(): Promise<ContextBenchmark> {
  if (!existsSync(contextEntry)) return { ran: false, note: "bench/context/run.ts does not exist" };
  log("context: running bench/context/run.ts");
  const started = Date.now();
  const exitCode = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", contextEntry], { cwd: root, stdio: "inherit" });
    child.on("exit", (code) => resolve(code));
  });
  const elapsedSeconds = Math.round((Date.now() - started) / 1000);
  try {
    const results = JSON.parse(readFileSync(contextResults, "utf8")) as {
      targets?: ContextBenchmark["targets"];
    };
    return { ran: true, exitCode, elapsedSeconds, targets: results.targets };
  } catch {
    return { ran: true, exitCode, elapsedSeconds, note: "bench/results/context.json could not be read" };
  }
}

await main();
