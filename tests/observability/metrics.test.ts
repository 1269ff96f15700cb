import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { webApi } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMetrics } from "../../src/observability/metrics.js";
import { startMetricsServer } from "../../src/observability/metrics-endpoint.js";
import { slackRateLimitListener } from "../../src/observability/slack-rate-limits.js";
import { registerStateGauges } from "../../src/observability/state-gauges.js";
import { redisConnection } from "../../src/queue/connection.js";
import { createQueues, type Queues } from "../../src/queue/queues.js";
import { createDatabase, type Database } from "../../src/storage/database.js";
import { recordSampleRun } from "../replay/support/sample-run.js";
import { redisUrl, testDatabase, testQueuePrefix } from "../support/stack.js";
import { sampleValue } from "./support/exposition.js";

/**
 * The metrics on their own: hooks record steps, queue waits, stalls and Slack 429s; gauges read runs,
 * approvals and queues from Postgres and Redis when scraped.
 */
let database: Database;
let queues: Queues;

beforeAll(async () => {
  ({ database } = await testDatabase());
  queues = createQueues(redisConnection(redisUrl()), testQueuePrefix());
});
afterAll(async () => {
  await queues?.close();
  await database?.$disconnect();
});

describe("hook metrics", () => {
  it("records model and tool steps, retries and failures", async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.observeStep({
      kind: "model",
      data: {
        model: "gpt-test",
        costMicros: 1500,
        retries: [
          { model: "gpt-test", attempt: 1, status: 429, delayMs: 0, error: "rate limited", at: "" },
          { model: "gpt-test", attempt: 2, status: null, delayMs: 10, error: "timeout", at: "" },
        ],
      },
      usage: { inputTokens: 1000, outputTokens: 50, cachedTokens: 400 },
      latencyMs: 1200,
    });
    metrics.observeStep({ kind: "tool", data: { tool: "fetch_url", isError: false }, latencyMs: 300 });
    metrics.observeStep({ kind: "tool", data: { tool: "fetch_url", isError: true }, latencyMs: 20 });
    metrics.observeStep({
      kind: "note",
      data: { type: "model_error", model: "gpt-test", retries: [] },
      latencyMs: 5,
    });
    metrics.observeJobStart("runs", { timestamp: 1_000, processedOn: 3_500 });
    metrics.observeJobStart("runs", { timestamp: 1_000, delay: 60_000, processedOn: 61_250 });
    metrics.observeStallRecovery("runs");
    const text = await metrics.render();

    expect(sampleValue(text, "coworker_step_duration_seconds_count", { kind: "model" })).toBe(1);
    expect(sampleValue(text, "coworker_step_duration_seconds_sum", { kind: "tool" })).toBeCloseTo(0.32);
    expect(sampleValue(text, "coworker_model_call_duration_seconds_sum", { model: "gpt-test" })).toBeCloseTo(
      1.2,
    );
    expect(sampleValue(text, "coworker_model_tokens_total", { model: "gpt-test", type: "input" })).toBe(1000);
    expect(sampleValue(text, "coworker_model_tokens_total", { model: "gpt-test", type: "cached" })).toBe(400);
    expect(sampleValue(text, "coworker_model_tokens_total", { model: "gpt-test", type: "output" })).toBe(50);
    expect(sampleValue(text, "coworker_model_cost_usd_total", { model: "gpt-test" })).toBeCloseTo(0.0015);
    expect(sampleValue(text, "coworker_model_retries_total", { model: "gpt-test", status: "429" })).toBe(1);
    expect(sampleValue(text, "coworker_model_retries_total", { model: "gpt-test", status: "none" })).toBe(1);
    expect(sampleValue(text, "coworker_model_errors_total", { model: "gpt-test" })).toBe(1);
    expect(sampleValue(text, "coworker_tool_calls_total", { tool: "fetch_url", outcome: "ok" })).toBe(1);
    expect(sampleValue(text, "coworker_tool_calls_total", { tool: "fetch_url", outcome: "error" })).toBe(1);
    expect(sampleValue(text, "coworker_tool_call_duration_seconds_count", { tool: "fetch_url" })).toBe(2);
    // 2.5 s and 0.25 s of waiting (the delay is not waiting).
    expect(sampleValue(text, "coworker_queue_wait_seconds_sum", { queue: "runs" })).toBeCloseTo(2.75);
    expect(sampleValue(text, "coworker_queue_stalled_recoveries_total", { queue: "runs" })).toBe(1);
  });

  it("counts Slack 429s by method from the Web API client's rate_limited event", async () => {
    let calls = 0;
    const slack = createServer((_request, response) => {
      calls += 1;
      if (calls === 1) {
        response.writeHead(429, { "retry-after": "0", "content-type": "application/json" });
        response.end(JSON.stringify({ ok: false, error: "ratelimited" }));
        return;
      }
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ ok: true, channel: "C1", ts: "1.000100" }));
    });
    await new Promise<void>((resolve) => slack.listen(0, "127.0.0.1", resolve));
    try {
      const metrics = createMetrics({ processMetrics: false });
      const client = new webApi.WebClient("xoxb-test", {
        slackApiUrl: `http://127.0.0.1:${(slack.address() as AddressInfo).port}/api/`,
        logLevel: webApi.LogLevel.ERROR,
      });
      client.on(webApi.WebClientEvent.RATE_LIMITED, slackRateLimitListener(metrics));
      const result = await client.chat.postMessage({ channel: "C1", text: "hello" });
      expect(result.ok).toBe(true);
      expect(
        sampleValue(await metrics.render(), "coworker_slack_rate_limited_total", {
          method: "chat.postMessage",
        }),
      ).toBe(1);
    } finally {
      await new Promise((resolve) => slack.close(resolve));
    }
  });
});

describe("state gauges", () => {
  it("read runs, approvals and queues when scraped", async () => {
    const metrics = createMetrics({ processMetrics: false });
    const now = Date.now();
    registerStateGauges(metrics, { database, queues: [queues.runs, queues.schedules], now: () => now });
    await recordSampleRun(database);
    const waiting = await recordSampleRun(database);
    await database.run.update({ where: { id: waiting }, data: { status: "waiting_approval" } });
    await database.approval.create({
      data: {
        runId: waiting,
        toolCallKey: `${waiting}:9:call_pending`,
        tool: "send_note",
        argumentsHash: "x",
        channel: "C_TEST",
        createdAt: new Date(now - 90_000),
      },
    });
    await queues.runs.add("run.execute", { runId: waiting, reason: "start" }, { timestamp: now - 30_000 });
    await queues.runs.add("run.execute", { runId: waiting, reason: "resume" }, { timestamp: now - 10_000 });
    await queues.schedules.add("schedule.sync", { scheduleId: waiting }, { delay: 60_000 });

    const text = await metrics.render();
    expect(sampleValue(text, "coworker_runs", { state: "completed" })).toBe(1);
    expect(sampleValue(text, "coworker_runs", { state: "waiting_approval" })).toBe(1);
    expect(sampleValue(text, "coworker_runs", { state: "failed" })).toBe(0);
    expect(sampleValue(text, "coworker_tasks")).toBe(2);
    expect(sampleValue(text, "coworker_approvals_pending")).toBe(1);
    expect(sampleValue(text, "coworker_approvals_pending_oldest_age_seconds")).toBeCloseTo(90, 0);
    expect(sampleValue(text, "coworker_queue_jobs", { queue: "runs", state: "waiting" })).toBe(2);
    expect(sampleValue(text, "coworker_queue_jobs", { queue: "schedules", state: "delayed" })).toBe(1);
    expect(sampleValue(text, "coworker_queue_oldest_waiting_age_seconds", { queue: "runs" })).toBeCloseTo(
      30,
      0,
    );
    expect(sampleValue(text, "coworker_queue_oldest_waiting_age_seconds", { queue: "schedules" })).toBe(0);
  });

  it("keep answering when a source fails, and count the failure", async () => {
    const metrics = createMetrics({ processMetrics: false });
    // A Postgres that is not there: nothing listens on port 1.
    const unreachable = createDatabase("postgresql://postgres@127.0.0.1:1/coworker", { poolSize: 1 });
    const errors: string[] = [];
    registerStateGauges(metrics, {
      database: unreachable,
      queues: [],
      now: Date.now,
      onError: (source) => errors.push(source),
    });
    try {
      const first = await metrics.render();
      expect(errors).toEqual(["database", "database", "database", "database"]);
      expect(sampleValue(first, "coworker_approvals_pending")).toBe(0);
      // Sources are read while the scrape is written: the failures show from the next scrape on.
      const second = await metrics.render();
      expect(
        sampleValue(second, "coworker_scrape_errors_total", { source: "database" }),
      ).toBeGreaterThanOrEqual(4);
    } finally {
      await unreachable.$disconnect();
    }
  });
});

describe("the metrics endpoint", () => {
  it("serves Prometheus text, behind a bearer token when one is set", async () => {
    const metrics = createMetrics();
    metrics.observeStallRecovery("runs");
    const server = await startMetricsServer(metrics, {
      port: 0,
      host: "127.0.0.1",
      token: "scrape-token-123",
    });
    try {
      expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
      const response = await fetch(`${server.url}/metrics`, {
        headers: { authorization: "Bearer scrape-token-123" },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("text/plain");
      const text = await response.text();
      expect(sampleValue(text, "coworker_queue_stalled_recoveries_total", { queue: "runs" })).toBe(1);
      // Process metrics are on by default.
      expect(text).toContain("coworker_process_resident_memory_bytes");
    } finally {
      await server.close();
    }
  });
});
