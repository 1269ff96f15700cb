import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import { type ObservedStep, readStep } from "./step-observation.js";

/**
 * The process's Prometheus metrics: one registry per composition root (no global default registry).
 * Counters and histograms are recorded by hooks at the places where things happen (the harness after
 * each step, the worker when it takes a job or recovers a stalled one, the Slack client on a 429);
 * gauges that describe the database and the queues are computed when /metrics is scraped
 * (`registerStateGauges`, state-gauges.ts).
 */
export interface Metrics {
  readonly registry: Registry;
  /** The exposition format's content type, for the /metrics response. */
  readonly contentType: string;
  render(): Promise<string>;
  /** A step the harness committed: the same record it gives `saveCheckpoint` (src/harness/checkpoint.ts). */
  observeStep(step: ObservedStep): void;
  /** A queue job was taken by a worker: records how long it waited to be picked up. */
  observeJobStart(queue: string, job: QueuedJob, now?: number): void;
  /** A job whose worker stopped answering (crash, SIGKILL) was handed back to the queue. */
  observeStallRecovery(queue: string): void;
  /** Slack answered 429 to a Web API call (`method` like "chat.postMessage"). */
  observeSlackRateLimit(method: string): void;
}

/** The fields of a BullMQ job used to compute its waiting time. */
export interface QueuedJob {
  /** When the job was added (ms). */
  timestamp: number;
  /** When processing started (ms); BullMQ sets it before calling the processor. */
  processedOn?: number | undefined;
  /** Delay the job was added with (ms): that time is not waiting. */
  delay?: number | undefined;
}

export interface MetricsOptions {
  /** Node.js process metrics (CPU, memory, event loop lag), prefixed `coworker_`. Default true. */
  processMetrics?: boolean;
}

export const metricPrefix = "coworker_";

const durationBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900];
const waitBuckets = [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600];

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: metricPrefix });
  const registers = [registry];
  const name = (suffix: string) => `${metricPrefix}${suffix}`;

  const stepDuration = new Histogram({
    name: name("step_duration_seconds"),
    help: "Wall-clock time of harness steps, by kind (model turn, tool call, note).",
    labelNames: ["kind"],
    buckets: durationBuckets,
    registers,
  });
  const modelDuration = new Histogram({
    name: name("model_call_duration_seconds"),
    help: "Wall-clock time of model calls (retries and backoff included), by the model that answered.",
    labelNames: ["model"],
    buckets: durationBuckets,
    registers,
  });
  const modelTokens = new Counter({
    name: name("model_tokens_total"),
    help: "Tokens used by model calls, by model and type (input, output, cached; cached is part of input).",
    labelNames: ["model", "type"],
    registers,
  });
  const modelCost = new Counter({
    name: name("model_cost_usd_total"),
    help: "Cost of model calls in US dollars, by model (0 while prices are not configured).",
    labelNames: ["model"],
    registers,
  });
  const modelRetries = new Counter({
    name: name("model_retries_total"),
    help: "Model calls retried after a transient failure, by model and HTTP status (429, 5xx, none).",
    labelNames: ["model", "status"],
    registers,
  });
  const modelErrors = new Counter({
    name: name("model_errors_total"),
    help: "Model calls that failed for good (after retries), by model.",
    labelNames: ["model"],
    registers,
  });
  const toolCalls = new Counter({
    name: name("tool_calls_total"),
    help: "Tool calls, by tool and outcome (ok, error).",
    labelNames: ["tool", "outcome"],
    registers,
  });
  const toolDuration = new Histogram({
    name: name("tool_call_duration_seconds"),
    help: "Wall-clock time of tool calls, by tool.",
    labelNames: ["tool"],
    buckets: durationBuckets,
    registers,
  });
  const queueWait = new Histogram({
    name: name("queue_wait_seconds"),
    help: "Time jobs waited in a queue before a worker took them, by queue.",
    labelNames: ["queue"],
    buckets: waitBuckets,
    registers,
  });
  const stallRecoveries = new Counter({
    name: name("queue_stalled_recoveries_total"),
    help: "Jobs handed back to their queue after their worker stopped answering, by queue.",
    labelNames: ["queue"],
    registers,
  });
  const slackRateLimits = new Counter({
    name: name("slack_rate_limited_total"),
    help: "Slack Web API calls answered with 429 (rate limited), by method.",
    labelNames: ["method"],
    registers,
  });

  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    observeStep(step) {
      const read = readStep(step);
      stepDuration.observe({ kind: read.kind }, read.seconds);
      if (read.model) {
        const model = read.model;
        if (read.kind === "model") {
          modelDuration.observe({ model }, read.seconds);
          modelTokens.inc({ model, type: "input" }, read.usage.inputTokens);
          modelTokens.inc({ model, type: "output" }, read.usage.outputTokens);
          modelTokens.inc({ model, type: "cached" }, read.usage.cachedTokens);
          modelCost.inc({ model }, read.costMicros / 1_000_000);
        }
        if (read.modelFailed) modelErrors.inc({ model });
      }
      for (const retry of read.retries) modelRetries.inc(retry);
      if (read.tool) {
        toolCalls.inc({ tool: read.tool, outcome: read.isError ? "error" : "ok" });
        toolDuration.observe({ tool: read.tool }, read.seconds);
      }
    },
    observeJobStart(queue, job, now = Date.now()) {
      const ready = job.timestamp + (job.delay ?? 0);
      const started = job.processedOn ?? now;
      queueWait.observe({ queue }, Math.max(0, started - ready) / 1000);
    },
    observeStallRecovery(queue) {
      stallRecoveries.inc({ queue });
    },
    observeSlackRateLimit(method) {
      slackRateLimits.inc({ method });
    },
  };
}
