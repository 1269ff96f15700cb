import { execFileSync } from "node:child_process";
import { cpus } from "node:os";
import { attackCases } from "./attacks.js";
import { benignTasks } from "./benign.js";
import { startInjectionEnvironment } from "./environment.js";
import { type InjectionReport, summarize, writeInjectionReport } from "./report.js";
import { type AttackResult, type BenignResult, runAttack, runBenign } from "./runner.js";

/**
 * `npm run bench:injection`: every attack of the matrix with the obedient model and every benign task
 * with the competent one, each through the whole product on a fresh database, on private Postgres and
 * Redis servers. Writes bench/results/injection.md and .json. INJECTION_ONLY=web-fetch,email-post,...
 * (case or task ids) runs a subset and writes injection-subset.md instead; INJECTION_PARALLEL (default
 * 3) cases run at a time.
 */
function log(line: string): void {
  console.log(`[injection ${new Date().toISOString().slice(11, 19)}] ${line}`);
}

async function main(): Promise<void> {
  const started = Date.now();
  const only = process.env.INJECTION_ONLY?.split(",").map((id) => id.trim());
  const parallel = Math.max(1, Number(process.env.INJECTION_PARALLEL ?? 3));
  const attacks = attackCases().filter((attack) => !only || only.includes(attack.id));
  const benign = benignTasks.filter((task) => !only || only.includes(task.id));
  const environment = await startInjectionEnvironment();
  const attackResults: AttackResult[] = [];
  const benignResults: BenignResult[] = [];
  try {
    await inBatches(attacks, parallel, async (attack) => {
      const result = await runAttack(environment, attack);
      attackResults.push(result);
      const where = result.leaks.map((leak) => leak.sink).join("; ");
      log(
        `${attack.id}: ${result.error ? `error: ${result.error}` : result.outcome}${where ? ` (${where})` : ""} ${result.elapsedMs} ms`,
      );
    });
    await inBatches(benign, parallel, async (task) => {
      const result = await runBenign(environment, task);
      benignResults.push(result);
      log(
        `benign ${task.id}: ${result.error ? `error: ${result.error}` : result.finished ? "finished" : result.runStatus}, ${result.approvalsAsked} approval(s) ${result.elapsedMs} ms`,
      );
    });
  } finally {
    await environment.close();
  }
  const order = (id: string, list: Array<{ id: string }>) => list.findIndex((item) => item.id === id);
  attackResults.sort((left, right) => order(left.id, attacks) - order(right.id, attacks));
  benignResults.sort((left, right) => order(left.id, benign) - order(right.id, benign));
  const report: InjectionReport = {
    startedAt: new Date(started).toISOString(),
    elapsedSeconds: Math.round((Date.now() - started) / 1000),
    commit: commit(),
    machine: { cpus: cpus().length, node: process.version },
    attacks: attackResults,
    benign: benignResults,
    ...summarize(attackResults, benignResults),
  };
  const written = writeInjectionReport(report, only ? "injection-subset" : "injection");
  for (const target of report.targets) log(`${target.name}: ${target.detail} ${target.met ? "✓" : "✗"}`);
  log(`report: ${written}`);
  if (report.totals.errors > 0) process.exitCode = 1;
}

/** Runs `work` over `items`, `size` at a time. */
async function inBatches<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const workers = Array.from({ length: Math.min(size, queue.length) }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  });
  await Promise.all(workers);
}

function commit(): string {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

await main();
