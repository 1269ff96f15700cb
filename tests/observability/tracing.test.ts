import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lookupTool } from "../replay/support/sample-run.js";
import { type AppStack, startAppStack } from "../support/app-stack.js";
import type { FakeRequestBody } from "../support/fake-model-server.js";
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from "../support/otlp-receiver.js";

/**
 * OpenTelemetry traces of a real run through the whole app, exported as OTLP/HTTP JSON to a local
 * collector stand-in: the Slack event's span (web role) → BullMQ's producer and consumer spans (the
 * trace context travels in the job) → the run → its steps → each model call (GenAI attributes) and
 * tool call. A tool fails with a configured secret in its error: the exported trace does not hold it.
 */
let receiver: OtlpReceiver;
let stack: AppStack;
const secret = "test-model-key";

const toolResults = (body: FakeRequestBody) =>
  body.messages.filter((message) => message.role === "tool").length;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const failing = lookupTool({
    answer: () => {
      throw new Error(`weather provider refused key ${secret}`);
    },
  });
  stack = await startAppStack({
    tools: [failing],
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: "coworker-test" },
    reply: (body) =>
      toolResults(body) === 0
        ? { toolCalls: [{ name: "lookup_weather", arguments: { city: "Oslo" } }] }
        : { text: "I could not get the forecast." },
  });
});
afterAll(async () => {
  await stack?.close();
  await receiver?.close();
});

describe("OpenTelemetry traces", () => {
  it("exports run, step, model and tool spans linked to the Slack event through the queue", async () => {
    const { slack, database } = stack;
    const posted = await slack.mention({ user: "alice", channel: "general", text: "Oslo weather?" });
    await slack.waitForMessage(
      { channel: posted.channel, threadTs: posted.ts, contains: "could not get the forecast" },
      20_000,
    );
    const run = await database.run.findFirstOrThrow({ where: { triggerTs: posted.ts } });
    const runSpan = () =>
      receiver.spans.find((span) => span.name === "run" && span.attributes["coworker.run.id"] === run.id);
    // Up from the run: the worker's job (consumer), the enqueue (producer), the Slack event (web role).
    const ancestors = (from: ReceivedSpan | undefined) => {
      const found: ReceivedSpan[] = [];
      for (let span = from; span?.parentSpanId; ) {
        span = receiver.spans.find((candidate) => candidate.spanId === span!.parentSpanId);
        if (span) found.push(span);
      }
      return found;
    };
    // Spans arrive in batches as they end: flush until the whole chain up to the Slack event is in.
    await expect
      .poll(
        async () => {
          await stack.services.tracing.flush();
          return ancestors(runSpan()).map((span) => span.kind);
        },
        { timeout: 20_000 },
      )
      .toEqual([5, 4, 2]); // CONSUMER, PRODUCER, SERVER
    const chain = ancestors(runSpan());
    expect(chain.map((span) => span.name)).toEqual([
      "process runs",
      "add runs.run.execute",
      expect.stringMatching(/^slack (app_mention|message)$/),
    ]);
    expect(chain[2]!.attributes["coworker.workspace.id"]).toBe(run.workspaceId);
    for (const span of chain) expect(span.traceId).toBe(runSpan()!.traceId);

    const runs = receiver.spans.filter((span) => span.name === "run");
    expect(runs).toHaveLength(1);
    const [theRun] = runs;
    expect(theRun!.resource["service.name"]).toBe("coworker-test");
    expect(theRun!.attributes).toMatchObject({
      "coworker.workspace.id": run.workspaceId,
      "coworker.task.id": run.taskId,
      "coworker.run.outcome": "completed",
    });
    const childrenOf = (parent: ReceivedSpan) =>
      receiver.spans.filter((span) => span.parentSpanId === parent.spanId && span.traceId === parent.traceId);

    // run → step ×3 (model, tool, model) → one model or tool call each.
    const steps = childrenOf(theRun!);
    expect(steps.map((span) => [span.name, span.attributes["coworker.step.kind"]])).toEqual([
      ["step", "model"],
      ["step", "tool"],
      ["step", "model"],
    ]);
    const calls = steps.map((step) => childrenOf(step));
    for (const list of calls) expect(list).toHaveLength(1);
    const [firstModel, tool, secondModel] = calls.map((list) => list[0]!);
    expect(firstModel!.name).toBe("chat fake-model");
    expect(firstModel!.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": "fake-model",
      "gen_ai.response.finish_reasons": ["tool_calls"],
    });
    expect(firstModel!.attributes["gen_ai.usage.input_tokens"]).toBeGreaterThan(0);
    expect(firstModel!.attributes["gen_ai.usage.output_tokens"]).toBeGreaterThan(0);
    expect(secondModel!.attributes["gen_ai.response.finish_reasons"]).toEqual(["stop"]);
    expect(tool!.name).toBe("execute_tool lookup_weather");
    expect(tool!.attributes).toMatchObject({
      "gen_ai.tool.name": "lookup_weather",
      "coworker.tool.is_error": true,
    });
    expect(tool!.status.message).toContain("weather provider refused key");

    // No secret left the process.
    for (const body of receiver.bodies) expect(body).not.toContain(secret);
    expect(receiver.bodies.join("")).toContain("weather provider refused key [redacted]");
  });
});
