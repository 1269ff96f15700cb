import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { stableJson } from "../../src/harness/ledger.js";
import { scriptedModel } from "../../src/harness/model/scripted.js";
import { inOrder, lastToolResult, textReply, toolCallReply } from "../../src/harness/model/scripts.js";
import type { Database } from "../../src/storage/database.js";
import { defineTool } from "../../src/tools/tool.js";
import { type EffectStandIn, startEffectStandIn } from "../support/effect-stand-in.js";
import { effectTool } from "../support/effect-tool.js";
import { createTestHarness } from "../support/harness.js";
import { testDatabase } from "../support/stack.js";

/**
 * The side-effect ledger after a crash: the process died after committing a call's intent and before
 * committing its result. The checkpoint still lists the call as pending, as it would after a real kill.
 */
let database: Database;
let standIn: EffectStandIn;
beforeAll(async () => {
  ({ database } = await testDatabase());
  standIn = await startEffectStandIn();
});
afterAll(async () => {
  await standIn.close();
});

/** Runs until the model asks for the effect, then simulates a crash in the middle of the call. */
async function crashDuringCall(
  harness: ReturnType<typeof createTestHarness>,
  runId: string,
  effectHappened: boolean,
) {
  const run = await database.run.findUniqueOrThrow({ where: { id: runId } });
  const state = {
    version: 1,
    messages: [
      { role: "system", content: "You are a test assistant." },
      { role: "user", content: run.prompt },
      {
        role: "assistant",
        content: "",
        toolCalls: [{ id: "call_0_0", name: "record_effect", arguments: '{"n":1}' }],
      },
    ],
    step: 1,
    turn: 1,
    pending: [{ id: "call_0_0", name: "record_effect", arguments: '{"n":1}' }],
    usage: { inputTokens: 0, outputTokens: 0, cachedTokens: 0 },
    costMicros: 0,
    recentCalls: [],
    loopWarnings: 0,
    stepsWithoutProgress: 0,
    resultHashes: [],
    maskedThrough: 0,
    startedAt: Date.now(),
  };
  await database.run.update({
    where: { id: runId },
    data: { state: JSON.parse(stableJson(state)), status: "running" },
  });
  const key = `${runId}:1:call_0_0`;
  await database.toolCall.create({
    data: {
      key,
      runId,
      step: 1,
      callId: "call_0_0",
      tool: "record_effect",
      arguments: { n: 1 },
      argumentsHash: "x",
      status: "intent",
    },
  });
  if (effectHappened) await fetch(`${standIn.url}/effects/${encodeURIComponent(key)}`, { method: "POST" });
  void harness;
  return key;
}

describe("the side-effect ledger", () => {
  it("reconciles an interrupted effect that happened: it is not repeated", async () => {
    const model = scriptedModel(inOrder(textReply("done")));
    const harness = createTestHarness(database, { model, tools: [effectTool(standIn.url)] });
    const runId = await harness.createRun("record one effect");
    const key = await crashDuringCall(harness, runId, true);
    expect(await harness.execute(runId)).toBe("completed");
    expect(standIn.counts.get(key)).toBe(1);
    expect(lastToolResult(model.requests[0]!)?.content).toBe("recorded (found after a restart)");
    expect((await database.toolCall.findUniqueOrThrow({ where: { key } })).status).toBe("done");
  });

  it("runs an interrupted effect that did not happen, once", async () => {
    const model = scriptedModel(inOrder(textReply("done")));
    const harness = createTestHarness(database, { model, tools: [effectTool(standIn.url)] });
    const runId = await harness.createRun("record one effect");
    const key = await crashDuringCall(harness, runId, false);
    expect(await harness.execute(runId)).toBe("completed");
    expect(standIn.counts.get(key)).toBe(1);
    expect(lastToolResult(model.requests[0]!)?.content).toBe("recorded (200)");
  });

  it("asks the person when an interrupted effect cannot be checked, and does what they say", async () => {
    let executions = 0;
    const blind = defineTool({
      name: "record_effect",
      description: "An effect that cannot be looked up afterwards.",
      input: z.object({ n: z.number() }),
      risk: "write",
      confined: true,
      timeoutMs: 1000,
      outputLimit: 1000,
      summarize: ({ n }) => `record effect ${n}`,
      execute: async () => {
        executions += 1;
        return { content: "recorded" };
      },
    });
    const model = scriptedModel(inOrder(textReply("done")));
    const harness = createTestHarness(database, { model, tools: [blind] });
    const runId = await harness.createRun("record one effect");
    const key = await crashDuringCall(harness, runId, false);
    expect(await harness.execute(runId)).toBe("parked");
    expect(executions).toBe(0);
    expect(harness.thread.posts.at(-1)).toMatchObject({ kind: "question" });
    expect(harness.thread.posts.at(-1)!.text).toMatch(
      /record effect 1.*can't tell whether it happened.*retry/s,
    );
    expect((await database.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("waiting_input");

    // The person answers "retry" in the thread.
    await harness.replyInThread(runId, "retry please");
    expect(await harness.execute(runId)).toBe("completed");
    expect(executions).toBe(1);
    expect((await database.toolCall.findUniqueOrThrow({ where: { key } })).status).toBe("done");
  });

  it("takes the person's word when they say the interrupted effect already happened", async () => {
    const model = scriptedModel(inOrder(textReply("done")));
    const harness = createTestHarness(database, {
      model,
      tools: [effectTool(standIn.url, { approval: false })].map((tool) => ({
        ...tool,
        reconcile: undefined,
      })),
    });
    const runId = await harness.createRun("record one effect");
    const key = await crashDuringCall(harness, runId, false);
    expect(await harness.execute(runId)).toBe("parked");
    await harness.replyInThread(runId, "done, it went through");
    expect(await harness.execute(runId)).toBe("completed");
    expect(standIn.counts.get(key)).toBeUndefined();
    expect(lastToolResult(model.requests[0]!)?.content).toBe(
      "The user confirmed that this already happened.",
    );
  });

  it("re-runs an interrupted read-only call without asking", async () => {
    let reads = 0;
    const read = defineTool({
      name: "record_effect",
      description: "Reads something.",
      input: z.object({ n: z.number() }),
      risk: "read",
      timeoutMs: 1000,
      outputLimit: 1000,
      execute: async () => {
        reads += 1;
        return { content: "read it" };
      },
    });
    const model = scriptedModel(inOrder(textReply("done")));
    const harness = createTestHarness(database, { model, tools: [read] });
    const runId = await harness.createRun("read");
    await crashDuringCall(harness, runId, false);
    expect(await harness.execute(runId)).toBe("completed");
    expect(reads).toBe(1);
  });

  it("never runs a completed call again", async () => {
    const model = scriptedModel(inOrder(toolCallReply("record_effect", { n: 1 }), textReply("done")));
    const harness = createTestHarness(database, { model, tools: [effectTool(standIn.url)] });
    const runId = await harness.createRun("once");
    expect(await harness.execute(runId)).toBe("completed");
    const calls = await database.toolCall.findMany({ where: { runId, tool: "record_effect" } });
    expect(calls).toHaveLength(1);
    // Replaying the finished checkpoint's call through the ledger returns the stored result.
    const { performOnce } = await import("../../src/harness/ledger.js");
    const outcome = await performOnce(
      database,
      { key: calls[0]!.key, runId, step: 1, callId: "x", tool: "record_effect", arguments: { n: 1 } },
      { whenInterrupted: "rerun", execute: async () => ({ content: "again" }) },
    );
    expect(outcome).toMatchObject({ status: "done", replayed: true });
    expect(standIn.counts.get(calls[0]!.key)).toBe(1);
  });
});
