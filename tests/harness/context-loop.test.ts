import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { ModelRequest } from "../../src/harness/model/model.js";
import { scriptedModel } from "../../src/harness/model/scripted.js";
import { lastToolResult, textReply, toolCallReply } from "../../src/harness/model/scripts.js";
import { parseState } from "../../src/harness/state.js";
import type { Database } from "../../src/storage/database.js";
import { createReadArtifactTool } from "../../src/tools/artifacts/read-artifact.js";
import { defineTool } from "../../src/tools/tool.js";
import { createTestHarness } from "../support/harness.js";
import { testDatabase } from "../support/stack.js";

/**
 * A few steps of the benchmark through the real loop: a fact seen early is masked (or clipped) by
 * the time it is needed, and the model gets it back with read_artifact in one extra turn.
 */
let database: Database;

beforeAll(async () => {
  ({ database } = await testDatabase());
});

afterAll(async () => {
  await database.$disconnect();
});

const fact = "The launch code is KESTREL-7731.";

function pageTool(outputLimit: number, factAt: number) {
  return defineTool({
    name: "read_page",
    description: "Read a page of the wiki.",
    input: z.object({ page: z.number().int() }),
    risk: "read",
    timeoutMs: 5000,
    outputLimit,
    async execute({ page }) {
      const filler = Array.from({ length: 60 }, (_, line) => `page ${page} line ${line} `.padEnd(50, "."));
      if (page === 1) filler.splice(factAt, 0, fact);
      return { content: filler.join("\n"), untrusted: true };
    },
  });
}

interface Seen {
  factVisible: boolean;
  handle: string | undefined;
}

/** Reads pages 1..6, then needs the fact: proceeds if visible, reloads once through a visible handle. */
function readerScript(seen: Seen[]) {
  return (request: ModelRequest, turn: number) => {
    if (turn < 6) return toolCallReply("read_page", { page: turn + 1 });
    const prompt = request.messages.map((message) => message.content).join("\n");
    if (turn === 6) {
      const handle = /"(artifactId|toolCallId)":"((?:art|call)_[^"]+)"/.exec(prompt);
      seen.push({ factVisible: prompt.includes(fact), handle: handle?.[2] });
      if (prompt.includes(fact)) return textReply(`Found it: ${fact}`);
      if (!handle) return textReply("I lost the launch code.");
      return toolCallReply("read_artifact", { [handle[1]!]: handle[2], find: "launch code" });
    }
    const reloaded = lastToolResult(request)?.content ?? "";
    seen.push({ factVisible: reloaded.includes(fact), handle: undefined });
    return textReply(reloaded.includes(fact) ? `Found it: ${fact}` : "The reload did not have it.");
  };
}

async function run(options: { outputLimit: number; factAt: number; enabled: boolean }) {
  const seen: Seen[] = [];
  const model = scriptedModel(readerScript(seen));
  const harness = createTestHarness(database, {
    model,
    tools: [pageTool(options.outputLimit, options.factAt), createReadArtifactTool({ database })],
  });
  harness.services.contextManagement = { enabled: options.enabled, keepRecent: 1, batch: 2 };
  const runId = await harness.createRun("Read pages 1 to 6, then tell me the launch code.");
  const outcome = await harness.execute(runId);
  const final = harness.thread.posts.find((post) => post.kind === "final")?.text;
  return { seen, model, runId, outcome, final };
}

describe("context management in the loop", () => {
  it("masks an early output and gets the fact back by its tool call id in one extra turn", async () => {
    const { seen, model, runId, outcome, final } = await run({
      outputLimit: 20_000,
      factAt: 10,
      enabled: true,
    });
    expect(outcome).toBe("completed");
    expect(seen[0]).toEqual({ factVisible: false, handle: "call_0_0" });
    expect(seen[1]!.factVisible).toBe(true);
    expect(final).toBe(`Found it: ${fact}`);
    expect(model.requests).toHaveLength(8);
    // The checkpoint holds the placeholder; the ledger keeps the whole output.
    const stored = await database.run.findUniqueOrThrow({ where: { id: runId } });
    const first = parseState(stored.state).messages.find((message) => message.role === "tool");
    expect(first).toMatchObject({ toolCallId: "call_0_0", maskedSize: expect.any(Number) });
    expect(first!.content).not.toContain(fact);
    const ledger = await database.toolCall.findFirstOrThrow({ where: { runId, callId: "call_0_0" } });
    expect(JSON.stringify(ledger.result)).toContain(fact);
  });

  it("finds a fact hidden in the middle of a clipped output by its artifact handle", async () => {
    const { seen, model, outcome, final } = await run({ outputLimit: 1500, factAt: 30, enabled: false });
    expect(outcome).toBe("completed");
    expect(seen[0]!.factVisible).toBe(false);
    expect(seen[0]!.handle).toMatch(/^art_[0-9a-f]{20}$/);
    expect(seen[1]!.factVisible).toBe(true);
    expect(final).toBe(`Found it: ${fact}`);
    expect(model.requests).toHaveLength(8);
  });

  it("without context management the fact stays in view and no reload is needed", async () => {
    const { seen, model, final } = await run({ outputLimit: 20_000, factAt: 10, enabled: false });
    expect(seen).toEqual([{ factVisible: true, handle: undefined }]);
    expect(final).toBe(`Found it: ${fact}`);
    expect(model.requests).toHaveLength(7);
  });
});
