import type { ChildProcess } from "node:child_process";
import { startSlackEmulator } from "../src/emulator/index.js";
import { redisConnection } from "../src/queue/connection.js";
import { createQueues } from "../src/queue/queues.js";
import { startFakeModelServer } from "../tests/support/fake-model-server.js";
import { startRoleProcess, stopRoleProcess } from "../tests/support/role-processes.js";
import { createRuns, enqueueAll, waitForRuns } from "./support/app-runs.js";
import { appEnvironment, type BenchEnvironment } from "./support/environment.js";
import { type BenchmarkResult, figure } from "./support/figures.js";
import { round, since } from "./support/statistics.js";

/**
 * 1,000 tasks in flight on one worker process: every model call takes 2 s, so the worker holds all of
 * them at once (WORKER_CONCURRENCY=1000). Measured: the time until all are done next to the ideal (one
 * model call), the worker's peak resident memory, and its event-loop delay while they run (the worker
 * measures itself, bench/support/instrumented-worker.ts).
 */
const tasks = 1000;
const modelLatencyMs = 2000;

interface WorkerStats {
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  peakRssBytes: number;
  rssBytes: number;
}

export async function concurrencyBenchmark(environment: BenchEnvironment): Promise<BenchmarkResult> {
  const started = performance.now();
  const slack = await startSlackEmulator({ rateLimits: false });
  const model = await startFakeModelServer({
    reply: () => ({ text: "Done.", delayMs: modelLatencyMs }),
    record: false,
  });
  const { url, database } = await environment.database("bench_concurrency");
  const env = appEnvironment({
    databaseUrl: url,
    redisUrl: environment.redis.url,
    queuePrefix: "bench_concurrency",
    slack,
    modelUrl: model.url,
    extra: { WORKER_CONCURRENCY: String(tasks) },
  });
  const queues = createQueues(redisConnection(environment.redis.url), "bench_concurrency");
  const worker = await startRoleProcess(new URL("./support/instrumented-worker.ts", import.meta.url), env);
  try {
    await enqueueAll(queues, await createRuns(database, slack, 20, (index) => `warm-up ${index}`));
    const runIds = await createRuns(database, slack, tasks, (index) => `task in flight ${index}`);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const idle = await ask(worker.child, "stats");
    await ask(worker.child, "reset");
    const start = performance.now();
    await enqueueAll(queues, runIds);
    const { elapsedMs: elapsed } = await waitForRuns(database, runIds, start, 600_000);
    const stats = await ask(worker.child, "stats");
    const completed = await database.run.count({ where: { id: { in: runIds }, status: "completed" } });
    const mebibytes = (bytes: number) => round(bytes / 2 ** 20, 1);
    return {
      name: "1,000 tasks in flight on one worker",
      method:
        `${tasks} tasks enqueued at once for one worker process at WORKER_CONCURRENCY=${tasks}; each is one model call ` +
        `that answers after ${modelLatencyMs / 1000} s, then a final answer (status message, edits and answer in the ` +
        "Slack emulator, checkpoints in Postgres). The ideal is one model call's latency. The worker samples its own " +
        "resident memory (every 100 ms) and event-loop delay (perf_hooks, 10 ms resolution) while they run.",
      figures: [
        figure({
          name: "time until all 1,000 are done",
          value: round(elapsed / 1000, 2),
          unit: "s",
          baseline: { name: "ideal (one model call)", value: modelLatencyMs / 1000, unit: "s" },
          note: `${round(tasks / (elapsed / 1000), 1)} tasks/s`,
        }),
        figure({
          name: "worker peak resident memory",
          value: mebibytes(stats.peakRssBytes),
          unit: "MiB",
          baseline: { name: "the same worker idle", value: mebibytes(idle.rssBytes), unit: "MiB" },
          target: "< 1024 MiB",
          met: stats.peakRssBytes < 2 ** 30,
        }),
        figure({
          name: "worker event-loop delay p99",
          value: round(stats.lagP99Ms, 1),
          unit: "ms",
          target: "< 100 ms",
          met: stats.lagP99Ms < 100,
          note: `p50 ${round(stats.lagP50Ms, 1)} ms, max ${round(stats.lagMaxMs, 1)} ms`,
          whyMissed:
            "The model calls are concurrent, but everything around them is CPU work on the worker's one event loop " +
            "(about 30 Prisma statements, each compiled by Prisma's query compiler, and the Slack calls per task: see " +
            `the throughput figure), so with ${tasks} tasks in flight the loop is busy for the whole run and timers ` +
            "fire late. The completion time (ideal: one model call) is bounded by the same CPU work. Fewer statements " +
            "per task, and several worker processes per machine, bring both down.",
        }),
      ],
      details: { tasks, completed, elapsedMs: round(elapsed), stats, idle },
      elapsedSeconds: Math.round(since(started) / 1000),
    };
  } finally {
    await stopRoleProcess(worker);
    await queues.close();
    await Promise.all([slack.close(), model.close()]);
  }
}

/** Sends `message` to the instrumented worker and resolves with the field of its answer named the same. */
function ask(child: ChildProcess, message: "stats"): Promise<WorkerStats>;
function ask(child: ChildProcess, message: "reset"): Promise<boolean>;
function ask(child: ChildProcess, message: "stats" | "reset"): Promise<WorkerStats | boolean> {
  return new Promise((resolve) => {
    const onMessage = (answer: unknown) => {
      const value = (answer as Record<string, WorkerStats | boolean | undefined>)[message];
      if (value === undefined) return;
      child.off("message", onMessage);
      resolve(value);
    };
    child.on("message", onMessage);
    child.send(message);
  });
}
