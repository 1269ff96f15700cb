import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { lookupTool, sendNoteTool } from "../replay/support/sample-run.js";
import { type AppStack, startAppStack } from "../support/app-stack.js";
import type { FakeRequestBody } from "../support/fake-model-server.js";

/**
 * The operator's log lines for a real run through the whole app (Slack emulator, web, queue, worker,
 * fake model server): a mention, two rate-limited model attempts (one retry), the fallback model, a tool call
 * with bad arguments, a write that waits for approval, the approval, the answer. Each event is one
 * info line with its `event` name and the run's workspace, task and run ids.
 */
type Line = Record<string, unknown>;
const lines: Line[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    for (const text of String(chunk).split("\n")) if (text.trim()) lines.push(JSON.parse(text) as Line);
    done();
  },
});
let stack: AppStack;

const toolResults = (body: FakeRequestBody) =>
  body.messages.filter((message) => message.role === "tool").length;

beforeAll(async () => {
  stack = await startAppStack({
    tools: [lookupTool(), sendNoteTool],
    logger: createLogger("info", sink),
    env: { LLM_FALLBACK_MODEL: "fake-fallback", LLM_MAX_RETRIES: "1" },
    reply: (body, call) => {
      if (call.index < 2) return { status: 429, retryAfter: 0, message: "Rate limit reached" };
      const done = toolResults(body);
      // Missing its required argument: the tool call fails and the model sees the error.
      if (done === 0) return { toolCalls: [{ name: "lookup_weather", arguments: {} }] };
      if (done === 1)
        return { toolCalls: [{ name: "send_note", arguments: { channel: "#general", text: "4°C" } }] };
      return { text: "Sent the forecast." };
    },
  });
});
afterAll(async () => {
  await stack?.close();
});

describe("run event log lines", () => {
  it("logs every event of a run at info with its workspace, task and run ids", async () => {
    const { slack, database } = stack;
    const posted = await slack.mention({ user: "alice", channel: "general", text: "send the Oslo forecast" });
    const approval = await slack.waitForMessage(
      { channel: posted.channel, threadTs: posted.ts, from: "bot", contains: "approval.approve" },
      20_000,
    );
    // Decided once the run has parked, so the lines come in one order.
    await expect
      .poll(() => lines.some((line) => line.event === "run.parked"), { timeout: 20_000 })
      .toBe(true);
    await slack.clickButton({
      user: "alice",
      channel: "general",
      messageTs: approval.ts,
      actionId: "approval.approve",
    });
    const run = await database.run.findFirstOrThrow({ where: { triggerTs: posted.ts } });
    await expect
      .poll(() => lines.some((line) => line.event === "run.finished"), { timeout: 20_000 })
      .toBe(true);

    const ids = { workspaceId: run.workspaceId, taskId: run.taskId, runId: run.id };
    const events = lines.filter((line) => typeof line.event === "string" && line.runId === run.id);
    for (const line of events) expect(line).toMatchObject({ level: 30, ...ids });
    const named = (event: string) => events.filter((line) => line.event === event);

    expect(events.map((line) => line.event)).toEqual([
      "run.started",
      "model.retry",
      "model.fallback",
      "tool.error",
      "approval.requested",
      "run.parked",
      "approval.decided",
      "run.continued",
      "run.resumed",
      "run.finished",
    ]);
    // The first attempt is retried; the second (the last one allowed) gives up, to the fallback.
    expect(named("model.retry")).toMatchObject([{ model: "fake-model", attempt: 1, status: 429 }]);
    expect(named("model.fallback")[0]).toMatchObject({ from: "fake-model", to: "fake-fallback" });
    expect(named("tool.error")[0]).toMatchObject({ tool: "lookup_weather" });
    expect(named("approval.requested")[0]).toMatchObject({ tool: "send_note" });
    const approvalRow = await database.approval.findFirstOrThrow({ where: { runId: run.id } });
    expect(named("run.parked")[0]).toMatchObject({ waitingFor: "approval", approvalId: approvalRow.id });
    expect(named("approval.decided")[0]).toMatchObject({ approvalId: approvalRow.id, decision: "approved" });
    expect(named("run.resumed")[0]).toMatchObject({ waitedFor: "approval" });
    const finished = named("run.finished")[0]!;
    const steps = await database.step.count({ where: { runId: run.id } });
    expect(finished).toMatchObject({ outcome: "completed", steps, costMicros: expect.any(Number) });
    expect(finished.inputTokens).toBeGreaterThan(0);
    expect(finished.outputTokens).toBeGreaterThan(0);
    expect(finished.durationMs).toBeGreaterThan(0);
  });
});
