import { Queue } from "bullmq";
import { startSlackEmulator } from "../src/emulator/index.js";
import { redisConnection } from "../src/queue/connection.js";
import { createQueues } from "../src/queue/queues.js";
import { startFakeModelServer } from "../tests/support/fake-model-server.js";
import {
  startRoleProcess,
  startToolWorkerProcess,
  stopRoleProcess,
} from "../tests/support/role-processes.js";
import { createRuns, enqueueAll, waitForRuns } from "./support/app-runs.js";
import { appEnvironment, type BenchEnvironment } from "./support/environment.js";
import { type BenchmarkResult, figure } from "./support/figures.js";
import { committedTransactions } from "./support/postgres-activity.js";
import { round, since } from "./support/statistics.js";

/**
 * End-to-end throughput of short tasks: runs enqueued at once and worked by one worker process
 * (default concurrency, 20) through the whole harness, with a model that answers at once over HTTP
 * and every post going to the Slack emulator. Next to it, on the same Redis: one process of a bare
 * BullMQ worker with the same concurrency draining empty jobs.
 */
const tasks = 400;
const emptyJobs = 5000;
const concurrency = 20;

export async function throughputBenchmark(environment: BenchEnvironment): Promise<BenchmarkResult> {
  const started = performance.now();
  const slack = await startSlackEmulator({ rateLimits: false });
  const model = await startFakeModelServer({ reply: () => ({ text: "Done." }), record: false });
  const { url, database } = await environment.database("bench_throughput");
  const env = appEnvironment({
    databaseUrl: url,
    redisUrl: environment.redis.url,
    queuePrefix: "bench_throughput",
    slack,
    modelUrl: model.url,
    extra: { WORKER_CONCURRENCY: String(concurrency) },
  });
  const queues = createQueues(redisConnection(environment.redis.url), "bench_throughput");
  const worker = await startToolWorkerProcess(undefined, env);
  try {
    // Warm-up, then the measured batch.
    const warmUp = createRuns(database, slack, 40, (index) => `warm-up ${index}`).then(async (ids) => {
      await enqueueAll(queues, ids);
      return ids;
    });
    const runIds = await createRuns(database, slack, tasks, (index) => `short task ${index}`);
    await waitForRuns(database, await warmUp, performance.now(), 120_000);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const transactionsBefore = await committedTransactions(url);
    const slackCallsBefore = slack.apiCalls.length;
    const start = performance.now();
    await enqueueAll(queues, runIds);
    const { elapsedMs: elapsed, polls } = await waitForRuns(database, runIds, start, 300_000);
    const taskRate = tasks / (elapsed / 1000);
    const slackCalls = (slack.apiCalls.length - slackCallsBefore) / tasks;
    await new Promise((resolve) => setTimeout(resolve, 2000)); // Postgres publishes its counters when idle
    const transactions = (await committedTransactions(url)) - transactionsBefore - polls - 1;
    const transactionsPerTask = transactions / tasks;
    const completed = await database.run.count({ where: { id: { in: runIds }, status: "completed" } });

    const rawRate = await rawBullmqThroughput(environment.redis.url);
    return {
      name: "End-to-end throughput",
      method:
        `${tasks} short tasks (one model turn answered at once over HTTP, a status message, a final answer and a status ` +
        `edit in the Slack emulator, every step checkpointed in Postgres) enqueued at once and worked by one worker ` +
        `process at concurrency ${concurrency}; next to ${emptyJobs} empty BullMQ jobs drained by one bare worker ` +
        "process at the same concurrency on the same Redis.",
      figures: [
        figure({
          name: "tasks per second",
          value: round(taskRate, 1),
          unit: "tasks/s",
          baseline: { name: "raw BullMQ, empty jobs", value: round(rawRate, 1), unit: "jobs/s" },
          target: "ratio ≥ 0.5",
          met: taskRate / rawRate >= 0.5,
          note: `${round(transactionsPerTask, 1)} Postgres transactions and ${round(slackCalls, 1)} Slack calls per task`,
          whyMissed:
            `An empty BullMQ job is a few Redis round trips; a short task here is ${round(transactionsPerTask, 0)} Postgres ` +
            `transactions (nearly all single statements sent through Prisma, which costs about a millisecond of CPU ` +
            `each in the worker: see the step-overhead figure), ${round(slackCalls, 1)} Slack Web API calls and one model ` +
            "call over HTTP. The worker process is CPU-bound on that work (one core), so raising the concurrency does " +
            "not help; more worker processes do, and so does sending fewer statements per task (the same changes as " +
            "for the step overhead, plus reading the run, its task and the thread context in one query).",
        }),
      ],
      details: {
        tasks,
        completed,
        elapsedMs: round(elapsed),
        emptyJobs,
        concurrency,
        postgresTransactionsPerTask: round(transactionsPerTask, 1),
        slackCallsPerTask: round(slackCalls, 2),
      },
      elapsedSeconds: Math.round(since(started) / 1000),
    };
  } finally {
    await stopRoleProcess(worker);
    await queues.close();
    await Promise.all([slack.close(), model.close()]);
  }
}

/** Jobs per second one bare worker process drains at `concurrency`: from adding them in bulk until all are done. */
async function rawBullmqThroughput(redisUrl: string): Promise<number> {
  const prefix = "bench_raw";
  const connection = redisConnection(redisUrl);
  const queue = new Queue("bare", { connection, prefix });
  const worker = await startRoleProcess(new URL("./support/bare-worker.ts", import.meta.url), {
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    EMPTY: "1",
    CONCURRENCY: String(concurrency),
  });
  try {
    const add = (count: number, from: number) =>
      queue.addBulk(
        Array.from({ length: count }, (_, index) => ({ name: "empty", data: { index: from + index } })),
      );
    await add(200, 0); // warm-up
    await waitForCompleted(queue, 200);
    const start = performance.now();
    await add(emptyJobs, 200);
    await waitForCompleted(queue, 200 + emptyJobs);
    return emptyJobs / (since(start) / 1000);
  } finally {
    await stopRoleProcess(worker);
    await queue.obliterate({ force: true });
    await queue.close();
  }
}

async function waitForCompleted(queue: Queue, count: number): Promise<void> {
  while ((await queue.getCompletedCount()) < count) await new Promise((resolve) => setTimeout(resolve, 10));
}
