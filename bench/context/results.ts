import type { ContextOptions } from "../../src/harness/context.js";
import type { Retrieval } from "./driver.js";
import type { Measure } from "./metrics.js";
import type { TaskRun } from "./runner.js";
import type { Cell, CellRun } from "./sweep.js";

/** The numbers of bench/results/context.json, derived from the runs. */
export interface RunSummary {
  outcome: string;
  measure: Omit<Measure, "digest">;
  facts: Record<Retrieval, number>;
  lostFacts: string[];
  extraTurns: number;
  reloads: number;
  planKept: boolean;
  compactions: number;
  answerCorrect: boolean;
}

export interface CellResult {
  steps: number;
  outputTokens: number;
  contextWindow?: number;
  baseline: RunSummary;
  managed: RunSummary;
  promptTokensRatio: number;
  peakPromptRatio: number;
  costRatio: number;
}

export interface Target {
  name: string;
  met: boolean;
  detail: string;
}

export interface BenchResults {
  benchmark: "context";
  task: string;
  settings: ContextOptions;
  method: Record<string, string | number>;
  cells: CellResult[];
  windows: CellResult[];
  determinism: { identicalPrompts: boolean; detail: string };
  targets: Target[];
  elapsedSeconds: number;
}

export function summarize(run: TaskRun): RunSummary {
  const facts: Record<Retrieval, number> = { visible: 0, reloaded: 0, lost: 0 };
  const lostFacts: string[] = [];
  for (const checkpoint of run.log.checkpoints) {
    if (!checkpoint.scored) continue;
    facts[checkpoint.retrieval] += 1;
    if (checkpoint.retrieval === "lost") lostFacts.push(checkpoint.name);
  }
  const { digest: _digest, ...measure } = run.measure;
  return {
    outcome: run.outcome,
    measure,
    facts,
    lostFacts,
    extraTurns: run.log.extraTurns,
    reloads: run.log.reloads,
    planKept: run.log.planKept ?? false,
    compactions: run.compactions,
    answerCorrect: run.log.checkpoints.every((checkpoint) => checkpoint.retrieval !== "lost"),
  };
}

export function pair(cell: Cell, baseline: TaskRun, managed: TaskRun): CellResult {
  const base = summarize(baseline);
  const mine = summarize(managed);
  return {
    ...cell,
    baseline: base,
    managed: mine,
    promptTokensRatio: round(mine.measure.promptTokens / base.measure.promptTokens),
    peakPromptRatio: round(mine.measure.peakPromptTokens / base.measure.peakPromptTokens),
    costRatio: round(mine.measure.cost / base.measure.cost),
  };
}

export function findRun(runs: CellRun[], cell: Cell, mode: string): TaskRun {
  const found = runs.find(
    (entry) =>
      entry.run.mode === mode &&
      entry.cell.steps === cell.steps &&
      entry.cell.outputTokens === cell.outputTokens &&
      entry.cell.contextWindow === cell.contextWindow,
  );
  if (!found) throw new Error(`no ${mode} run for ${JSON.stringify(cell)}`);
  return found.run;
}

export function evaluateTargets(cells: CellResult[]): Target[] {
  const at = (steps: number) => cells.filter((cell) => cell.steps === steps);
  const list = (items: CellResult[], value: (cell: CellResult) => number) =>
    items.map((cell) => `${cell.steps}×${cell.outputTokens / 1000}k: ${value(cell)}`).join(", ");
  const lost = cells.filter((cell) => cell.managed.facts.lost > 0);
  const unstable = cells.filter((cell) => cell.managed.measure.stablePrefixRatio < 0.8);
  const dearer = cells.filter((cell) => cell.costRatio > 1);
  return [
    {
      name: "prompt tokens ratio ≤ 0.5 at 25 steps",
      met: at(25).every((cell) => cell.promptTokensRatio <= 0.5),
      detail: list(at(25), (cell) => cell.promptTokensRatio),
    },
    {
      name: "prompt tokens ratio ≤ 0.2 at 100 steps",
      met: at(100).every((cell) => cell.promptTokensRatio <= 0.2),
      detail: list(at(100), (cell) => cell.promptTokensRatio),
    },
    {
      name: "every fact retrievable",
      met: lost.length === 0,
      detail:
        lost.length === 0
          ? "no fact lost in any cell"
          : lost
              .map(
                (cell) => `${cell.steps}×${cell.outputTokens / 1000}k: ${cell.managed.lostFacts.join("; ")}`,
              )
              .join(" | "),
    },
    {
      name: "stable-prefix ratio ≥ 0.8",
      met: unstable.length === 0,
      detail: `lowest ${Math.min(...cells.map((cell) => cell.managed.measure.stablePrefixRatio)).toFixed(3)}${unstable.length ? `; below in ${unstable.map((cell) => `${cell.steps}×${cell.outputTokens / 1000}k`).join(", ")}` : ""}`,
    },
    {
      name: "cache-weighted cost never above the baseline",
      met: dearer.length === 0,
      detail: `highest ratio ${Math.max(...cells.map((cell) => cell.costRatio))}${dearer.length ? `; above 1 in ${dearer.map((cell) => `${cell.steps}×${cell.outputTokens / 1000}k`).join(", ")}` : ""}`,
    },
  ];
}

export function round(value: number, digits = 3): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
