import type { JobType, Queue } from "bullmq";
import { Counter, Gauge } from "prom-client";
import { activeRunStatuses, endedRunStatuses } from "../runs/run-statuses.js";
import type { Database } from "../storage/database.js";
import { type Metrics, metricPrefix } from "./metrics.js";

/**
 * Gauges read from Postgres and Redis when /metrics is scraped (so they are right whichever process
 * changed the state): runs by state, approvals waiting and the oldest one's age, queue depth by job
 * state and how long the oldest waiting job has waited. A failing source keeps its last values and
 * counts the failure in `coworker_scrape_errors_total` (read concurrently, so it shows from the next
 * scrape on).
 */
export interface StateSources {
  database: Database;
  /** The queues to report, e.g. `[queues.runs, queues.schedules]`. */
  queues: Queue[];
  now(): number;
  onError?(source: string, error: unknown): void;
}

const jobStates: JobType[] = [
  "waiting",
  "active",
  "delayed",
  "prioritized",
  "waiting-children",
  "failed",
  "completed",
];

export function registerStateGauges(metrics: Pick<Metrics, "registry">, sources: StateSources): void {
  const registers = [metrics.registry];
  const name = (suffix: string) => `${metricPrefix}${suffix}`;
  // Once per registry: a second web role on the same metrics (tests) reads the same state.
  if (metrics.registry.getSingleMetric(name("runs"))) return;
  const scrapeErrors = new Counter({
    name: name("scrape_errors_total"),
    help: "Failures reading state for /metrics, by source (database, queue).",
    labelNames: ["source"],
    registers,
  });
  const guarded = async (source: string, read: () => Promise<void>) => {
    try {
      await read();
    } catch (error) {
      scrapeErrors.inc({ source });
      sources.onError?.(source, error);
    }
  };
  const { database } = sources;

  new Gauge({
    name: name("runs"),
    help: "Runs (a task's units of work) by state: queued, running, waiting_approval, waiting_input, completed, failed, cancelled, stopped.",
    labelNames: ["state"],
    registers,
    async collect() {
      await guarded("database", async () => {
        const groups = await database.run.groupBy({ by: ["status"], _count: { _all: true } });
        const counts = new Map(groups.map((group) => [group.status, group._count._all]));
        for (const state of new Set([...activeRunStatuses, ...endedRunStatuses, ...counts.keys()])) {
          this.set({ state }, counts.get(state) ?? 0);
        }
      });
    },
  });
  new Gauge({
    name: name("tasks"),
    help: "Tasks (Slack threads the coworker works in).",
    registers,
    async collect() {
      await guarded("database", async () => this.set(await database.task.count()));
    },
  });
  new Gauge({
    name: name("approvals_pending"),
    help: "Approvals waiting for a person's decision.",
    registers,
    async collect() {
      await guarded("database", async () =>
        this.set(await database.approval.count({ where: { status: "pending" } })),
      );
    },
  });
  new Gauge({
    name: name("approvals_pending_oldest_age_seconds"),
    help: "How long the oldest pending approval has waited (0 when none wait).",
    registers,
    async collect() {
      await guarded("database", async () => {
        const oldest = await database.approval.aggregate({
          where: { status: "pending" },
          _min: { createdAt: true },
        });
        const created = oldest._min.createdAt;
        this.set(created ? Math.max(0, sources.now() - created.getTime()) / 1000 : 0);
      });
    },
  });
  new Gauge({
    name: name("queue_jobs"),
    help: "Jobs in each queue by state (waiting, active, delayed, prioritized, waiting-children, failed, completed).",
    labelNames: ["queue", "state"],
    registers,
    async collect() {
      await guarded("queue", async () => {
        for (const queue of sources.queues) {
          const counts = await queue.getJobCounts(...jobStates);
          for (const state of jobStates) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        }
      });
    },
  });
  new Gauge({
    name: name("queue_oldest_waiting_age_seconds"),
    help: "How long the oldest job waiting to be picked up has waited, by queue (0 when none wait).",
    labelNames: ["queue"],
    registers,
    async collect() {
      await guarded("queue", async () => {
        for (const queue of sources.queues) {
          const [oldest] = await queue.getJobs(["wait"], 0, 0, true);
          const ready = oldest ? oldest.timestamp + (oldest.delay ?? 0) : undefined;
          this.set({ queue: queue.name }, ready ? Math.max(0, sources.now() - ready) / 1000 : 0);
        }
      });
    },
  });
}
