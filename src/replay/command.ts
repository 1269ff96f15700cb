import { parseArgs } from "node:util";
import type { Config } from "../config/index.js";
import { errorMessage } from "../errors.js";
import { createLogger } from "../logger.js";
import { configuredRedactor } from "../observability/secrets.js";
import { createDatabase, type Database } from "../storage/database.js";
import { createToolRegistry } from "../tools/registry.js";
import { readFixture, saveFixture } from "./fixtures.js";
import { loadRecording, type Recording } from "./recording.js";
import { type ReplayReport, replayRun } from "./replay.js";
import { createScratchDatabase } from "./scratch-database.js";

/**
 * `npm run replay -- <run id> | --fixture <file> [options]`: replays a recorded run against the
 * current harness and says where its behaviour diverges. Exit code 0: no divergence; 1: divergence;
 * 2: the replay could not run.
 *
 *   --save <file>               write the run as a fixture (redacted JSON) and stop
 *   --live <tool,tool>          run these tools for real instead of returning recorded results
 *   --scratch-database-url <u>  replay in this (migrated) database
 *   --in-place                  replay in DATABASE_URL itself (scratch rows are deleted afterwards)
 *   --keep                      keep the scratch run (with --in-place, to open it in the run viewer)
 *   --json                      print the report as JSON
 * By default the replay runs in a temporary database created next to DATABASE_URL and dropped after.
 */
export interface CommandIo {
  out(line: string): void;
  error(line: string): void;
}

export const usage =
  "usage: npm run replay -- <run id> | --fixture <file> [--save <file>] [--live tool,tool] " +
  "[--scratch-database-url <url> | --in-place] [--keep] [--json]";

export async function runReplayCommand(argv: string[], config: Config, io: CommandIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.error(`${errorMessage(error)}\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const runId = positionals[0];
  if (!runId === !values.fixture) {
    io.error(`Give a run id or --fixture <file> (one of them).\n${usage}`);
    return 2;
  }
  const logger = createLogger("silent");
  const source = createDatabase(config.databaseUrl, { poolSize: 2 });
  const cleanups: Array<() => Promise<void>> = [() => source.$disconnect()];
  try {
    const tools = await createToolRegistry({ database: source, logger }).tools();
    const recording: Recording = values.fixture
      ? await readFixture(values.fixture)
      : await loadRecording(source, runId!, { tools });
    if (values.save) {
      await saveFixture(values.save, recording, configuredRedactor(config));
      io.out(`Saved run ${recording.run.id} (${recording.steps.length} steps) to ${values.save}.`);
      return 0;
    }
    let target: Database = source;
    if (!values["in-place"]) {
      if (values["scratch-database-url"]) {
        target = createDatabase(values["scratch-database-url"], { poolSize: 2 });
        cleanups.push(() => target.$disconnect());
      } else {
        const scratch = await createScratchDatabase(config.databaseUrl);
        target = scratch.database;
        cleanups.push(() => scratch.drop());
      }
    }
    const report = await replayRun(recording, {
      database: target,
      tools,
      live: values.live
        ?.split(",")
        .map((name) => name.trim())
        .filter(Boolean),
      budgets: config.budgets,
      keep: values.keep,
      logger,
    });
    if (values.json) io.out(JSON.stringify(report, null, 2));
    else for (const line of describeReport(report)) io.out(line);
    return report.diverged ? 1 : 0;
  } catch (error) {
    io.error(`The replay could not run: ${errorMessage(error)}`);
    return 2;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      fixture: { type: "string" },
      save: { type: "string" },
      live: { type: "string" },
      "scratch-database-url": { type: "string" },
      "in-place": { type: "boolean", default: false },
      keep: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
    },
  });
}

export function describeReport(report: ReplayReport): string[] {
  const outcome = (run: { status: string; stopReason: string | null; steps: number }) =>
    `${run.status}${run.stopReason ? ` (${run.stopReason})` : ""}, ${run.steps} steps`;
  const lines = [
    `Replayed run ${report.recordedRunId} as ${report.replayRunId}.`,
    `  recorded: ${outcome(report.recorded)}`,
    `  replayed: ${outcome(report.replayed)}`,
    ...report.notes.map((note) => `  note: ${note}`),
  ];
  if (!report.diverged) return [...lines, "No divergence."];
  lines.push(`${report.divergences.length} divergence${report.divergences.length === 1 ? "" : "s"}:`);
  for (const divergence of report.divergences) {
    lines.push(
      `  ${divergence.step ? `step ${divergence.step} · ` : ""}${divergence.kind}: ${divergence.message}`,
    );
    if (divergence.recorded !== undefined) lines.push(`      recorded: ${excerpt(divergence.recorded)}`);
    if (divergence.replayed !== undefined) lines.push(`      replayed: ${excerpt(divergence.replayed)}`);
  }
  return lines;
}

function excerpt(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const line = text.replaceAll("\n", "⏎");
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
