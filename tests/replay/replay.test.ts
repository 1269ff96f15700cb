import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFixture, saveFixture } from "../../src/replay/fixtures.js";
import { loadRecording, type Recording } from "../../src/replay/recording.js";
import { replayRun } from "../../src/replay/replay.js";
import { createRedactor } from "../../src/security/redact.js";
import type { Database } from "../../src/storage/database.js";
import { testDatabase } from "../support/stack.js";
import { lookupTool, recordFailingRun, recordSampleRun, sendNoteTool } from "./support/sample-run.js";

/**
 * Replay: a recorded run re-run against the current harness with the recorded model outputs and tool
 * results reports no divergence; a changed tool (schema, behaviour, risk) shows up as a divergence at
 * the step where it changes what the model is shown.
 */
let database: Database;
let scratch: Database;
let recording: Recording;
let directory: string;

beforeAll(async () => {
  ({ database } = await testDatabase());
  ({ database: scratch } = await testDatabase());
  const runId = await recordSampleRun(database);
  recording = await loadRecording(database, runId, { tools: [lookupTool(), sendNoteTool] });
  directory = await mkdtemp(join(tmpdir(), "replay-fixtures-"));
});
afterAll(async () => {
  await database?.$disconnect();
  await scratch?.$disconnect();
  await rm(directory, { recursive: true, force: true });
});

describe("replaying a recorded run", () => {
  it("records the steps, ledger, approval and tools of the run", () => {
    expect(recording.run.status).toBe("completed");
    expect(recording.steps.map((step) => step.kind)).toEqual(["model", "tool", "model", "tool", "model"]);
    expect(recording.toolCalls.map((call) => [call.tool, call.status])).toEqual([
      ["lookup_weather", "done"],
      ["send_note", "done"],
    ]);
    expect(recording.approvals).toEqual([
      expect.objectContaining({ tool: "send_note", status: "approved", decidedBy: "U_BOB" }),
    ]);
    expect(recording.tools.map((tool) => tool.name).sort()).toEqual(["lookup_weather", "send_note"]);
    // The forecast was long: the model saw a preview pointing at an artifact.
    expect(JSON.stringify(recording.steps[1]!.data)).toContain("artifact art_");
  });

  it("reports no divergence against the current harness and tools", async () => {
    const report = await replayRun(recording, { database: scratch, tools: [lookupTool(), sendNoteTool] });
    expect(report.divergences).toEqual([]);
    expect(report.diverged).toBe(false);
    expect(report.replayed).toEqual({ status: "completed", stopReason: null, steps: 5 });
    // The scratch run is gone afterwards.
    expect(await scratch.run.count({ where: { id: report.replayRunId } })).toBe(0);
  });

  it("reports the divergence when a tool's input schema changed", async () => {
    const report = await replayRun(recording, {
      database: scratch,
      tools: [lookupTool({ strictInput: true }), sendNoteTool],
    });
    expect(report.diverged).toBe(true);
    expect(report.divergences[0]).toMatchObject({ kind: "tool_result", step: 2 });
    expect(String(report.divergences[0]!.replayed)).toContain("do not match its schema");
  });

  it("reports the divergence when a tool run for real now answers differently", async () => {
    const changed = lookupTool({ answer: (city) => `No forecast for ${city} today.` });
    const same = await replayRun(recording, {
      database: scratch,
      tools: [lookupTool(), sendNoteTool],
      live: ["lookup_weather"],
    });
    expect(same.divergences).toEqual([]);
    const report = await replayRun(recording, {
      database: scratch,
      tools: [changed, sendNoteTool],
      live: ["lookup_weather"],
    });
    expect(report.divergences).toEqual([
      expect.objectContaining({
        kind: "tool_result",
        step: 2,
        replayed: expect.stringContaining("No forecast for Oslo today."),
      }),
    ]);
    expect(report.replayed.status).toBe("completed");
  });

  it("reports an approval the recording never asked for when a tool's risk changed", async () => {
    const report = await replayRun(recording, {
      database: scratch,
      tools: [lookupTool({ risk: "write" }), sendNoteTool],
    });
    expect(report.divergences.map((divergence) => divergence.kind)).toEqual(["approval", "approval"]);
    expect(report.divergences[1]!.message).toContain("The replay asked for approval of lookup_weather");
    expect(report.replayed.status).toBe("completed");
  });

  it("replays in the recording's own database and leaves nothing behind", async () => {
    const before = await database.run.count();
    const report = await replayRun(recording, { database, tools: [lookupTool(), sendNoteTool] });
    expect(report.divergences).toEqual([]);
    expect(await database.run.count()).toBe(before);
    expect(await database.task.count({ where: { title: { startsWith: "Replay of run" } } })).toBe(0);
  });

  it("keeps the scratch run when asked, for the run viewer", async () => {
    const report = await replayRun(recording, {
      database: scratch,
      tools: [lookupTool(), sendNoteTool],
      keep: true,
    });
    const kept = await scratch.run.findUniqueOrThrow({
      where: { id: report.replayRunId },
      include: { steps: true },
    });
    expect(kept.status).toBe("completed");
    expect(kept.steps).toHaveLength(5);
  });

  it("replays a run that failed on the model the same way", async () => {
    const failing = await loadRecording(database, await recordFailingRun(database));
    expect(failing.run).toMatchObject({ status: "failed", stopReason: "model_error" });
    const report = await replayRun(failing, { database: scratch, tools: [lookupTool()] });
    expect(report.divergences).toEqual([]);
    expect(report.replayed).toMatchObject({ status: "failed", stopReason: "model_error" });
  });
});

describe("recorded runs as fixtures", () => {
  it("saves a run as redacted JSON and replays it from the file with stand-in tools", async () => {
    const secret = "xoxb-1234567890-abcdefghijklmnop";
    const runId = await recordSampleRun(database, { prompt: `Use ${secret} and forecast Oslo` });
    const file = join(directory, "sample.json");
    await saveFixture(
      file,
      await loadRecording(database, runId, { tools: [lookupTool(), sendNoteTool] }),
      createRedactor([]),
    );
    const text = await readFile(file, "utf8");
    expect(text).not.toContain(secret);
    expect(text).toContain("[redacted]");
    const fixture = await readFixture(file);
    // No tool definitions given: stand-ins built from the recording (risk, output limit) are used.
    const report = await replayRun(fixture, { database: scratch });
    expect(report.notes.join(" ")).toContain("Stand-ins");
    expect(report.divergences).toEqual([]);
  });

  it("replays the committed fixture of a run with an approval and a retry", async () => {
    const fixture = await readFixture(
      join(import.meta.dirname, "../fixtures/runs/forecast-with-approval.json"),
    );
    expect(fixture.approvals).toHaveLength(1);
    const report = await replayRun(fixture, { database: scratch });
    expect(report.divergences).toEqual([]);
    expect(report.replayed.steps).toBe(fixture.steps.length);
  });
});
