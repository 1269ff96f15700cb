import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactHandle, clipOutput, wholeSize } from "../../src/harness/artifacts.js";
import { performOnce } from "../../src/harness/ledger.js";
import { createLogger } from "../../src/logger.js";
import type { Database } from "../../src/storage/database.js";
import { createReadArtifactTool } from "../../src/tools/artifacts/read-artifact.js";
import type { ToolContext } from "../../src/tools/tool.js";
import { createTestHarness } from "../support/harness.js";
import { testDatabase } from "../support/stack.js";

let database: Database;
let createRun: (prompt: string) => Promise<string>;

beforeAll(async () => {
  ({ database } = await testDatabase());
  createRun = createTestHarness(database, { model: undefined }).createRun;
});

afterAll(async () => {
  await database.$disconnect();
});

/** 200 numbered lines of 50 characters: 10,000 characters where every position is recognizable. */
function numberedLines(label: string): string {
  return Array.from({ length: 200 }, (_, index) =>
    `${label} line ${String(index).padStart(4, "0")} `.padEnd(49, "."),
  ).join("\n");
}

function contextFor(runId: string): ToolContext {
  return {
    workspaceId: "T_TEST",
    userId: "U_ALICE",
    channel: "C_TEST",
    threadTs: "1.0",
    runId,
    idempotencyKey: `${runId}:test`,
    logger: createLogger("silent"),
    signal: new AbortController().signal,
    services: {},
  };
}

const tool = () => createReadArtifactTool({ database, maxLength: 3000 });

async function read(runId: string, input: Record<string, unknown>) {
  const readArtifact = tool();
  const parsed = readArtifact.input.parse(input);
  return readArtifact.execute(parsed, contextFor(runId));
}

describe("artifacts", () => {
  it("keeps small outputs as they are and stores nothing", async () => {
    const runId = await createRun("small");
    const preview = await clipOutput(database, runId, "fetch_url", "short output", 100);
    expect(preview).toEqual({ text: "short output" });
    expect(await database.artifact.count({ where: { runId } })).toBe(0);
  });

  it("stores a large output whole and shows a bounded preview: head, tail, size and handle", async () => {
    const runId = await createRun("large");
    const content = numberedLines("page");
    const preview = await clipOutput(database, runId, "fetch_url", content, 2000);
    expect(preview.artifactId).toBe(artifactHandle(content));
    expect(preview.text.length).toBeLessThanOrEqual(2000 + 400);
    expect(preview.text.startsWith(content.slice(0, 1000))).toBe(true);
    expect(preview.text.endsWith(content.slice(-300))).toBe(true);
    expect(preview.text).toContain(`of ${content.length}) not shown`);
    expect(preview.text).toContain(`read_artifact {"artifactId":"${preview.artifactId}"`);
    expect(preview.text).not.toContain("page line 0100");
    expect(wholeSize(preview.text)).toBe(content.length);
    expect(wholeSize("plain text")).toBe(10);

    const stored = await database.artifact.findMany({ where: { runId } });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ content, size: content.length, name: "fetch_url" });

    const again = await clipOutput(database, runId, "fetch_url", content, 2000);
    expect(again).toEqual(preview);
    expect(await database.artifact.count({ where: { runId } })).toBe(1);
  });

  it("gives the same handle for the same content in another run, each run its own row", async () => {
    const content = numberedLines("shared");
    const first = await clipOutput(database, await createRun("one"), "read_log", content, 1000);
    const second = await clipOutput(database, await createRun("two"), "read_log", content, 1000);
    expect(second.artifactId).toBe(first.artifactId);
    expect(second.text).toBe(first.text);
  });
});

describe("read_artifact", () => {
  it("reads any range of a clipped output by its handle, and says how to continue", async () => {
    const runId = await createRun("ranges");
    const content = numberedLines("log");
    const { artifactId } = await clipOutput(database, runId, "read_log", content, 1000);
    const result = await read(runId, { artifactId, offset: 5000, length: 120 });
    expect(result.untrusted).toBe(true);
    expect(result.content).toContain(`Characters 5000–5120 of ${content.length} of artifact ${artifactId}:`);
    expect(result.content).toContain(content.slice(5000, 5120));
    expect(result.content).not.toContain(content.slice(5120, 5170));
    expect(result.content).toContain(`"artifactId":"${artifactId}","offset":5120`);

    const end = await read(runId, { artifactId, offset: content.length - 30 });
    expect(end.content).toContain(content.slice(-30));
    expect(end.content).toContain("[End of output.]");
  });

  it("jumps to the first match of `find` at or after the offset", async () => {
    const runId = await createRun("find");
    const content = numberedLines("log");
    const { artifactId } = await clipOutput(database, runId, "read_log", content, 1000);
    const found = await read(runId, { artifactId, find: "LOG LINE 0150", length: 400 });
    expect(found.content).toContain("log line 0150");
    expect(found.content).toContain(`Characters ${content.indexOf("log line 0150") - 100}–`);
    const missing = await read(runId, { artifactId, find: "log line 0010", offset: 5000 });
    expect(missing.content).toContain('"log line 0010" does not occur in artifact');
  });

  it("reads a hidden output by its tool call id from the ledger row", async () => {
    const runId = await createRun("ledger");
    const content = numberedLines("wiki");
    const entry = { runId, step: 1, tool: "fetch_url", arguments: { url: "https://example.com/" } };
    await performOnce(
      database,
      { ...entry, key: `${runId}:1:call_a`, callId: "call_a" },
      {
        whenInterrupted: "rerun",
        execute: async () => ({ content, untrusted: true, isError: false }),
      },
    );
    await performOnce(
      database,
      { ...entry, key: `${runId}:2:call_b`, callId: "call_b" },
      {
        whenInterrupted: "rerun",
        execute: async () => {
          throw new Error("connection reset");
        },
      },
    );
    const result = await read(runId, { toolCallId: "call_a", offset: 2000, length: 100 });
    expect(result.content).toContain("of the output of fetch_url call call_a:");
    expect(result.content).toContain(content.slice(2000, 2100));
    expect(result.untrusted).toBe(true);
    const failed = await read(runId, { toolCallId: "call_b" });
    expect(failed.content).toContain("fetch_url failed: connection reset");
  });

  it("refuses artifacts and tool calls of another run as if they did not exist", async () => {
    const owner = await createRun("owner");
    const other = await createRun("other");
    const { artifactId } = await clipOutput(database, owner, "fetch_url", numberedLines("secret"), 1000);
    await performOnce(
      database,
      { key: `${owner}:1:call_x`, runId: owner, step: 1, callId: "call_x", tool: "fetch_url", arguments: {} },
      {
        whenInterrupted: "rerun",
        execute: async () => ({ content: "secret", untrusted: true, isError: false }),
      },
    );
    for (const input of [
      { artifactId },
      { artifactId: `${owner}/${artifactId}` },
      { toolCallId: "call_x" },
    ]) {
      const result = await read(other, input);
      expect(result.isError).toBe(true);
      expect(result.content).toMatch(/^There is no (artifact|tool call) .* in this task\./);
      expect(result.content).not.toContain("secret line");
    }
    expect((await read(owner, { artifactId })).content).toContain("secret line 0000");
  });

  it("asks for exactly one handle and keeps reads within the length limit", () => {
    const input = tool().input;
    expect(input.safeParse({}).success).toBe(false);
    expect(input.safeParse({ artifactId: "art_1", toolCallId: "call_1" }).success).toBe(false);
    expect(input.safeParse({ artifactId: "art_1", length: 3001 }).success).toBe(false);
    expect(input.safeParse({ artifactId: "art_1", offset: -1 }).success).toBe(false);
    expect(input.safeParse({ toolCallId: "call_1" }).data).toEqual({
      toolCallId: "call_1",
      offset: 0,
      length: 3000,
    });
  });
});
