import type { Database } from "../../src/storage/database.js";
import { baselineMode, type Mode, runTask, type TaskRun } from "./runner.js";
import { releaseWeek } from "./tasks.js";

/**
 * The benchmark's sweep: every (steps, output size) cell runs the same seeded task twice, with
 * context management and with the naive full-history baseline, two runs at a time (the database and
 * the loop overlap on two cores), heaviest first.
 */
export const sweepSteps = [10, 25, 50, 100];
export const sweepOutputTokens = [2000, 8000, 32000];
export const seed = 20_250_314;

export interface Cell {
  steps: number;
  outputTokens: number;
  contextWindow?: number;
}

export interface CellRun {
  cell: Cell;
  run: TaskRun;
}

export async function runCells(
  database: Database,
  jobs: Array<{ cell: Cell; mode: Mode }>,
  concurrency = 2,
): Promise<CellRun[]> {
  const ordered = [...jobs].sort((left, right) => weight(right.cell) - weight(left.cell));
  const results: CellRun[] = [];
  let next = 0;
  const worker = async () => {
    for (;;) {
      const job = ordered[next++];
      if (!job) return;
      const task = releaseWeek({ steps: job.cell.steps, outputTokens: job.cell.outputTokens, seed });
      const mode = job.cell.contextWindow ? { ...job.mode, contextWindow: job.cell.contextWindow } : job.mode;
      results.push({ cell: job.cell, run: await runTask(database, task, mode) });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

function weight(cell: Cell): number {
  return cell.steps * cell.steps * Math.min(cell.outputTokens, 5000);
}

export function sweepJobs(managed: Mode): Array<{ cell: Cell; mode: Mode }> {
  return sweepSteps.flatMap((steps) =>
    sweepOutputTokens.flatMap((outputTokens) =>
      [baselineMode, managed].map((mode) => ({ cell: { steps, outputTokens }, mode })),
    ),
  );
}
