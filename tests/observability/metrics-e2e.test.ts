import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lookupTool, sendNoteTool } from "../replay/support/sample-run.js";
import { type AppStack, startAppStack } from "../support/app-stack.js";
import type { FakeRequestBody } from "../support/fake-model-server.js";
import { declares, sampleValue } from "./support/exposition.js";

/**
 * /metrics on the real app after a real run: a mention, a model 429 (retried), a read tool, a write
 * that waits for approval, a Slack 429 on posting, the approval, the answer. Scraped while the run
 * waits and after it is done, the series say what happened.
 */
let stack: AppStack;

const toolResults = (body: FakeRequestBody) =>
  body.messages.filter((message) => message.role === "tool").length;

beforeAll(async () => {
  stack = await startAppStack({
    tools: [lookupTool(), sendNoteTool],
    reply: (body, call) => {
      if (call.index === 0) return { status: 429, retryAfter: 0, message: "Rate limit reached" };
      const done = toolResults(body);
      if (done === 0) return { toolCalls: [{ name: "lookup_weather", arguments: { city: "Oslo" } }] };
      if (done === 1)
        return { toolCalls: [{ name: "send_note", arguments: { channel: "#general", text: "4°C" } }] };
      return { text: "Sent the forecast." };
    },
  });
});
afterAll(async () => {
  await stack?.close();
});

async function scrape(): Promise<string> {
  const response = await fetch(`${stack.running.webUrl}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/plain");
  return response.text();
}

describe("/metrics after a run", () => {
  it("exposes tasks, steps, model, tools, approvals, queues and Slack series with the run's values", async () => {
    const { slack, database } = stack;
    slack.faults.rateLimit({ methods: ["chat.postMessage"], calls: 1, retryAfterSeconds: 0 });
    const posted = await slack.mention({ user: "alice", channel: "general", text: "send the Oslo forecast" });
    const approval = await slack.waitForMessage(
      { channel: posted.channel, threadTs: posted.ts, from: "bot", contains: "approval.approve" },
      20_000,
    );

    // While the run waits: one approval pending, one run waiting for it.
    const run = await database.run.findFirstOrThrow({ where: { triggerTs: posted.ts } });
    await expect
      .poll(async () => (await database.run.findUniqueOrThrow({ where: { id: run.id } })).status)
      .toBe("waiting_approval");
    const waiting = await scrape();
    expect(sampleValue(waiting, "coworker_approvals_pending")).toBe(1);
    expect(sampleValue(waiting, "coworker_approvals_pending_oldest_age_seconds")).toBeGreaterThanOrEqual(0);
    expect(sampleValue(waiting, "coworker_runs", { state: "waiting_approval" })).toBe(1);

    await slack.clickButton({
      user: "alice",
      channel: "general",
      messageTs: approval.ts,
      actionId: "approval.approve",
    });
    await slack.waitForMessage(
      { channel: posted.channel, threadTs: posted.ts, contains: "Sent the forecast" },
      20_000,
    );
    await expect
      .poll(async () => (await database.run.findUniqueOrThrow({ where: { id: run.id } })).status)
      .toBe("completed");

    const text = await scrape();
    // Tasks by state (scrape time, from Postgres).
    expect(sampleValue(text, "coworker_runs", { state: "completed" })).toBe(1);
    expect(sampleValue(text, "coworker_runs", { state: "waiting_approval" })).toBe(0);
    expect(sampleValue(text, "coworker_tasks")).toBe(1);
    expect(sampleValue(text, "coworker_approvals_pending")).toBe(0);
    // Steps and the model (hooks in the harness).
    expect(sampleValue(text, "coworker_step_duration_seconds_count", { kind: "model" })).toBe(3);
    expect(sampleValue(text, "coworker_step_duration_seconds_count", { kind: "tool" })).toBe(2);
    expect(sampleValue(text, "coworker_model_call_duration_seconds_count", { model: "fake-model" })).toBe(3);
    expect(
      sampleValue(text, "coworker_model_tokens_total", { model: "fake-model", type: "input" }),
    ).toBeGreaterThan(100);
    expect(
      sampleValue(text, "coworker_model_tokens_total", { model: "fake-model", type: "output" }),
    ).toBeGreaterThan(0);
    expect(sampleValue(text, "coworker_model_cost_usd_total", { model: "fake-model" })).toBe(0);
    expect(sampleValue(text, "coworker_model_retries_total", { model: "fake-model", status: "429" })).toBe(1);
    expect(declares(text, "coworker_model_errors_total")).toBe(true);
    // Tools.
    expect(sampleValue(text, "coworker_tool_calls_total", { tool: "lookup_weather", outcome: "ok" })).toBe(1);
    expect(sampleValue(text, "coworker_tool_calls_total", { tool: "send_note", outcome: "ok" })).toBe(1);
    expect(sampleValue(text, "coworker_tool_call_duration_seconds_count", { tool: "send_note" })).toBe(1);
    // Queues: depth and age at scrape time; waiting time of each job taken (start and resume).
    expect(sampleValue(text, "coworker_queue_jobs", { queue: "runs", state: "waiting" })).toBe(0);
    expect(
      sampleValue(text, "coworker_queue_jobs", { queue: "runs", state: "completed" }),
    ).toBeGreaterThanOrEqual(1);
    expect(sampleValue(text, "coworker_queue_oldest_waiting_age_seconds", { queue: "runs" })).toBe(0);
    expect(sampleValue(text, "coworker_queue_wait_seconds_count", { queue: "runs" })).toBeGreaterThanOrEqual(
      2,
    );
    expect(declares(text, "coworker_queue_stalled_recoveries_total")).toBe(true);
    // Slack answered one post with 429; the client waited and posted again.
    expect(sampleValue(text, "coworker_slack_rate_limited_total", { method: "chat.postMessage" })).toBe(1);
    // Process metrics.
    expect(sampleValue(text, "coworker_process_resident_memory_bytes")).toBeGreaterThan(0);
  });
});
