import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { scriptedModel } from "../../src/harness/model/scripted.js";
import { inOrder, lastToolResult, textReply, toolCallReply } from "../../src/harness/model/scripts.js";
import type { Database } from "../../src/storage/database.js";
import { defineTool } from "../../src/tools/tool.js";
import { createTestHarness } from "../support/harness.js";
import { testDatabase } from "../support/stack.js";

/** The loop as a state machine: every way a turn can end, on a real database. */
let database: Database;
beforeAll(async () => {
  ({ database } = await testDatabase());
});

const lookup = defineTool({
  name: "lookup",
  description: "Looks up a word.",
  input: z.object({ word: z.string().describe("The word") }),
  risk: "read",
  timeoutMs: 1000,
  outputLimit: 2000,
  execute: async ({ word }) => ({ content: `definition of ${word}` }),
});

const explode = defineTool({
  name: "explode",
  description: "Always fails.",
  input: z.object({}),
  risk: "read",
  timeoutMs: 1000,
  outputLimit: 2000,
  execute: async () => {
    throw new Error("the service is down");
  },
});

const hang = defineTool({
  name: "hang",
  description: "Never finishes.",
  input: z.object({}),
  risk: "read",
  timeoutMs: 200,
  outputLimit: 2000,
  execute: () => new Promise(() => undefined),
});

const send = defineTool({
  name: "send",
  description: "Sends something outside.",
  input: z.object({}),
  risk: "write",
  timeoutMs: 1000,
  outputLimit: 1000,
  execute: async () => ({ content: "sent" }),
});

const lookupCall = (word: string) => toolCallReply("lookup", { word });

describe("the agent loop", () => {
  it("ends with a final answer and checkpoints every step", async () => {
    const model = scriptedModel(inOrder(lookupCall("apple"), textReply("An apple is a fruit.")));
    const harness = createTestHarness(database, { model, tools: [lookup] });
    const runId = await harness.createRun("What is an apple?");
    expect(await harness.execute(runId)).toBe("completed");
    expect(harness.thread.posts).toEqual([
      expect.objectContaining({ kind: "final", text: "An apple is a fruit." }),
    ]);
    const run = await database.run.findUniqueOrThrow({
      where: { id: runId },
      include: { steps: { orderBy: { index: "asc" } } },
    });
    expect(run.status).toBe("completed");
    expect(run.steps.map((step) => step.kind)).toEqual(["model", "tool", "model"]);
    expect(run.stepCount).toBe(3);
    // The second model call saw the tool's result.
    expect(lastToolResult(model.requests[1]!)?.content).toBe("definition of apple");
    // Running it again does nothing: the run is finished.
    expect(await harness.execute(runId)).toBe("skipped");
    expect(model.requests).toHaveLength(2);
  });

  it("turns unknown tools, malformed JSON and bad arguments into corrections the model sees", async () => {
    const model = scriptedModel(
      inOrder(
        toolCallReply("no_such_tool", {}),
        { toolCalls: [{ name: "lookup", arguments: "{not json" }] },
        toolCallReply("lookup", { word: 42 }),
        textReply("done"),
      ),
    );
    const harness = createTestHarness(database, { model, tools: [lookup] });
    const runId = await harness.createRun("try things");
    expect(await harness.execute(runId)).toBe("completed");
    expect(lastToolResult(model.requests[1]!)?.content).toMatch(/no tool named "no_such_tool".*lookup/s);
    expect(lastToolResult(model.requests[2]!)?.content).toMatch(/not valid JSON/);
    expect(lastToolResult(model.requests[3]!)?.content).toMatch(/do not match its schema[\s\S]*word/);
    expect(lastToolResult(model.requests[3]!)?.isError).toBe(true);
  });

  it("shows tool exceptions and timeouts to the model as errors, and keeps them in context", async () => {
    const model = scriptedModel(
      inOrder(toolCallReply("explode", {}), toolCallReply("hang", {}), textReply("gave up")),
    );
    const harness = createTestHarness(database, { model, tools: [explode, hang] });
    const runId = await harness.createRun("break");
    expect(await harness.execute(runId)).toBe("completed");
    expect(lastToolResult(model.requests[1]!)?.content).toContain("explode failed: the service is down");
    const last = model.requests[2]!;
    expect(lastToolResult(last)?.content).toMatch(/hang failed: hang did not finish within 0.2 s/);
    expect(JSON.stringify(last.messages)).toContain("the service is down");
  });

  it.each([
    ["max_steps", { maxSteps: 2 }, /step limit/],
    ["token_budget", { maxTokens: 1000 }, /token budget/],
    ["cost_budget", { maxCostUsd: 0.000001 }, /cost budget/],
  ] as const)("stops on %s and says why in the thread", async (reason, budgets, explanation) => {
    let word = 0;
    const model = scriptedModel(() => ({
      ...lookupCall(`w${word++}`),
      usage: { inputTokens: 600, outputTokens: 10 },
    }));
    const harness = createTestHarness(database, { model, tools: [lookup], budgets, price: () => 10 });
    const runId = await harness.createRun("never ends");
    expect(await harness.execute(runId)).toBe("stopped");
    const run = await database.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.stopReason).toBe(reason);
    expect(harness.thread.posts).toHaveLength(1);
    expect(harness.thread.posts[0]!.text).toMatch(explanation);
    expect(harness.thread.posts[0]!.text).toMatch(/model turns? and \d+ tool calls? done/);
  });

  it("stops on the wall-clock budget", async () => {
    let clock = 1_000_000;
    const model = scriptedModel(() => {
      clock += 60_000;
      return lookupCall(`w${clock}`);
    });
    const harness = createTestHarness(database, {
      model,
      tools: [lookup],
      budgets: { maxWallMs: 150_000 },
      now: () => clock,
    });
    const runId = await harness.createRun("slow");
    expect(await harness.execute(runId)).toBe("stopped");
    expect((await database.run.findUniqueOrThrow({ where: { id: runId } })).stopReason).toBe("time_budget");
    expect(harness.thread.posts[0]!.text).toMatch(/ran out of the time/);
  });

  it("does not count time parked on an approval against the wall-clock budget", async () => {
    let clock = 5_000_000;
    const model = scriptedModel(inOrder(toolCallReply("send", {}), textReply("sent it")));
    const harness = createTestHarness(database, {
      model,
      tools: [send],
      budgets: { maxWallMs: 60_000 },
      now: () => clock,
    });
    const runId = await harness.createRun("send it after asking");
    expect(await harness.execute(runId)).toBe("parked");
    // The person decides five hours later.
    clock += 5 * 3600_000;
    await database.approval.updateMany({
      where: { runId },
      data: { status: "approved", decidedBy: "U_ALICE" },
    });
    expect(await harness.execute(runId)).toBe("completed");
    expect(harness.thread.posts.at(-1)).toMatchObject({ kind: "final", text: "sent it" });
  });

  it("closes the approval message's ledger entry when the approval was decided before the post was recorded", async () => {
    const model = scriptedModel(inOrder(toolCallReply("send", {}), textReply("sent it")));
    const harness = createTestHarness(database, { model, tools: [send] });
    const runId = await harness.createRun("send it once approved");
    expect(await harness.execute(runId)).toBe("parked");
    const approval = await database.approval.findFirstOrThrow({ where: { runId } });
    // The process that posted the approval message died before recording it: only the intent is left.
    // So did the one that sent a decider their private copy (found by the chaos suite).
    const postKey = `${approval.toolCallKey}:approval`;
    const privateKey = `${postKey}:to:U_ALICE`;
    await database.toolCall.deleteMany({ where: { key: { in: [postKey, privateKey] } } });
    await database.toolCall.createMany({
      data: [postKey, privateKey].map((key) => ({
        key,
        runId,
        step: 0,
        callId: key,
        tool: "slack.post",
        arguments: {},
        argumentsHash: "-",
        status: "intent",
      })),
    });
    await database.approval.update({
      where: { id: approval.id },
      data: { status: "approved", decidedBy: "U_ALICE", decidedAt: new Date() },
    });
    expect(await harness.execute(runId)).toBe("completed");
    const post = await database.toolCall.findUniqueOrThrow({ where: { key: postKey } });
    expect(post.status).toBe("done");
    expect(post.result).toMatchObject({ note: "closed: the approval was approved" });
    const copy = await database.toolCall.findUniqueOrThrow({ where: { key: privateKey } });
    expect(copy.status).toBe("done");
  });

  it("posts a final answer committed before a crash without asking the model again", async () => {
    const model = scriptedModel(inOrder(lookupCall("pear"), textReply("A pear is a fruit.")));
    const harness = createTestHarness(database, { model, tools: [lookup] });
    const runId = await harness.createRun("What is a pear?");
    // The process dies after committing the final answer and before posting it.
    const post = harness.thread.post;
    harness.thread.post = async () => {
      throw new Error("killed");
    };
    await expect(harness.execute(runId)).rejects.toThrow("killed");
    harness.thread.post = post;
    await harness.replyInThread(runId, "also mention apples");

    expect(await harness.execute(runId)).toBe("completed");
    expect(model.requests).toHaveLength(2);
    expect(harness.thread.posts).toEqual([
      expect.objectContaining({ kind: "final", text: "A pear is a fruit." }),
    ]);
    // The reply that came after the answer was not given to this run: a follow-up run takes it.
    expect(
      await database.threadMessage.count({ where: { text: "also mention apples", deliveredToRunId: null } }),
    ).toBe(1);
  });

  it("detects a loop: a corrective note first, then a stop with an explanation", async () => {
    const model = scriptedModel(() => lookupCall("same"));
    const harness = createTestHarness(database, { model, tools: [lookup] });
    const runId = await harness.createRun("loop forever");
    expect(await harness.execute(runId)).toBe("stopped");
    const run = await database.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.stopReason).toBe("loop_detected");
    // Three identical calls, then the note, then three more.
    const noteTurn = model.requests.findIndex((request) =>
      JSON.stringify(request.messages).includes("you are repeating yourself"),
    );
    expect(noteTurn).toBe(3);
    expect(model.requests).toHaveLength(6);
    expect(harness.thread.posts[0]!.text).toMatch(/kept repeating the same action/);
  });

  it("gives steering messages to the model before its next call, each exactly once", async () => {
    let runIdRef = "";
    const model = scriptedModel(async (_request, turn) => {
      if (turn === 0) {
        // A person replies in the thread while the run works.
        await harnessRef.replyInThread(runIdRef, "actually, look up pears");
        return lookupCall("apple");
      }
      if (turn === 1) return lookupCall("pear");
      return textReply("pears it is");
    });
    const harnessRef = createTestHarness(database, { model, tools: [lookup] });
    runIdRef = await harnessRef.createRun("look up apples");
    expect(await harnessRef.execute(runIdRef)).toBe("completed");
    const steered = model.requests.map((request) =>
      JSON.stringify(request.messages).includes("actually, look up pears"),
    );
    expect(steered).toEqual([false, true, true]);
    const stored = await database.threadMessage.findFirstOrThrow({
      where: { text: "actually, look up pears" },
    });
    expect(stored.deliveredToRunId).toBe(runIdRef);
  });

  it("is cancelled within 2 s while a model call is in flight", async () => {
    const model = scriptedModel(
      (request) =>
        new Promise((_resolve, reject) => {
          request.signal?.addEventListener("abort", () => reject(new Error("aborted")));
        }),
    );
    const harness = createTestHarness(database, { model, tools: [lookup] });
    const runId = await harness.createRun("wait forever");
    const controller = new AbortController();
    const started = Date.now();
    const outcome = harness.execute(runId, controller.signal);
    setTimeout(() => {
      void database.run
        .update({ where: { id: runId }, data: { cancelRequestedAt: new Date() } })
        .then(() => controller.abort());
    }, 200);
    expect(await outcome).toBe("cancelled");
    expect(Date.now() - started).toBeLessThan(2000);
    expect((await database.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("cancelled");
    expect(harness.thread.posts[0]!.text).toMatch(/Stopped as asked/);
  });

  it("answers that no model is configured, without crashing", async () => {
    const harness = createTestHarness(database, { model: undefined });
    const runId = await harness.createRun("hello?");
    expect(await harness.execute(runId)).toBe("failed");
    expect(harness.thread.posts[0]!.text).toMatch(/LLM_MODEL/);
  });

  it("runs each run on one executor at a time", async () => {
    const model = scriptedModel(inOrder(textReply("one")));
    const harness = createTestHarness(database, { model });
    const runId = await harness.createRun("lease");
    await database.run.update({
      where: { id: runId },
      data: { leaseOwner: "another-job", leaseExpiresAt: new Date(Date.now() + 60_000) },
    });
    expect(await harness.services.database.run.count({ where: { id: runId } })).toBe(1);
    const { executeRun } = await import("../../src/harness/loop.js");
    expect(
      await executeRun(runId, harness.services, new AbortController().signal, { owner: "this-job" }),
    ).toBe("busy");
    expect(model.requests).toHaveLength(0);
    await database.run.update({ where: { id: runId }, data: { leaseExpiresAt: new Date(Date.now() - 1) } });
    expect(
      await executeRun(runId, harness.services, new AbortController().signal, { owner: "this-job" }),
    ).toBe("completed");
  });
});
