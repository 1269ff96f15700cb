import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runReplayCommand } from "../../src/replay/command.js";
import type { Database } from "../../src/storage/database.js";
import { testConfig, testDatabase } from "../support/stack.js";
import { recordSampleRun } from "./support/sample-run.js";

/**
 * `npm run replay` as a person uses it: by run id (replayed in a temporary database next to
 * DATABASE_URL, dropped afterwards), saved as a fixture, replayed from the fixture; the exit code says
 * whether it diverged.
 */
let database: Database;
let url: string;
let runId: string;
let directory: string;

beforeAll(async () => {
  ({ url, database } = await testDatabase());
  runId = await recordSampleRun(database);
  directory = await mkdtemp(join(tmpdir(), "replay-command-"));
});
afterAll(async () => {
  await database?.$disconnect();
  await rm(directory, { recursive: true, force: true });
});

async function run(argv: string[]) {
  const out: string[] = [];
  const error: string[] = [];
  const code = await runReplayCommand(argv, testConfig({ DATABASE_URL: url }), {
    out: (line) => out.push(line),
    error: (line) => error.push(line),
  });
  return { code, out: out.join("\n"), error: error.join("\n") };
}

describe("npm run replay", () => {
  it("replays a run by id in a temporary database and reports the divergence (stand-in tools)", async () => {
    const before = await database.run.count();
    const result = await run([runId]);
    // The sample's tools are test tools, unknown to the product: stand-ins built from the recording
    // know only what it recorded (no tool metadata was saved for them), so the clipped preview differs.
    expect(result.out).toContain(`Replayed run ${runId}`);
    expect(result.out).toContain("Stand-ins (from the recording) were used for: lookup_weather, send_note");
    expect(result.code).toBe(1);
    expect(result.out).toContain("step 2 · tool_result");
    expect(await database.run.count()).toBe(before);
  });

  it("saves a fixture and replays it with no divergence", async () => {
    const file = join(directory, "run.json");
    const saved = await run([runId, "--save", file]);
    expect(saved.code).toBe(0);
    expect(saved.out).toContain(`Saved run ${runId} (5 steps)`);
    const fixture = JSON.parse(await readFile(file, "utf8")) as { format: number; steps: unknown[] };
    expect(fixture.format).toBe(1);
    expect(fixture.steps).toHaveLength(5);
    const replayed = await run([
      "--fixture",
      join(import.meta.dirname, "../fixtures/runs/forecast-with-approval.json"),
      "--json",
    ]);
    expect(replayed.error).toBe("");
    expect(replayed.code).toBe(0);
    const report = JSON.parse(replayed.out) as { diverged: boolean; replayed: { status: string } };
    expect(report).toMatchObject({ diverged: false, replayed: { status: "completed" } });
  });

  it("explains how to call it", async () => {
    const result = await run([]);
    expect(result.code).toBe(2);
    expect(result.error).toContain("usage: npm run replay");
    expect((await run(["00000000-0000-0000-0000-000000000000"])).error).toContain("There is no run");
  });
});
