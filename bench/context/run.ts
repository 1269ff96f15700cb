import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defaultContextOptions } from "../../src/harness/context.js";
import { benchDatabase } from "./database.js";
import { costWeights, minimumCachedTokens } from "./metrics.js";
import { renderReport } from "./report.js";
import { type BenchResults, evaluateTargets, findRun, pair } from "./results.js";
import { baselineMode, type Mode } from "./runner.js";
import { type Cell, runCells, seed, sweepJobs } from "./sweep.js";
import { benchOutputLimit } from "./tools.js";

/**
 * `npm run bench:context`: the context-management benchmark. Runs the sweep, the small-window runs
 * and a determinism check on a private Postgres, then writes bench/results/context.json and .md.
 */
const resultsDirectory = fileURLToPath(new URL("../results/", import.meta.url));
const managed: Mode = { name: "managed", contextManagement: {} };
const windows: Cell[] = [
  { steps: 100, outputTokens: 8000, contextWindow: 32_000 },
  { steps: 100, outputTokens: 8000, contextWindow: 16_000 },
];
const repeated: Cell = { steps: 50, outputTokens: 8000 };

async function main(): Promise<void> {
  const started = Date.now();
  const { database, close } = await benchDatabase();
  try {
    const runs = await runCells(database, [
      ...sweepJobs(managed),
      ...windows.map((cell) => ({ cell, mode: managed })),
      { cell: repeated, mode: { ...managed, name: "managed-again" } },
    ]);
    const cells = sweepJobs(managed)
      .filter((job) => job.mode === managed)
      .map(({ cell }) =>
        pair(cell, findRun(runs, cell, baselineMode.name), findRun(runs, cell, managed.name)),
      );
    const windowResults = windows.map((cell) =>
      pair(
        cell,
        findRun(runs, { steps: cell.steps, outputTokens: cell.outputTokens }, baselineMode.name),
        findRun(runs, cell, managed.name),
      ),
    );
    const first = findRun(runs, repeated, managed.name).measure;
    const again = findRun(runs, repeated, "managed-again").measure;
    const results: BenchResults = {
      benchmark: "context",
      task: "release-week (bench/context/tasks.ts): wiki pages (HTML), paged customer records (JSON) and CI logs, five planted needs",
      settings: defaultContextOptions,
      method: {
        model: "scripted driver (bench/context/driver.ts) through the real loop (executeRun) on Postgres",
        baseline:
          "the same loop with `contextManagement: { enabled: false }`: the whole transcript every turn",
        tokenizer:
          "characters ÷ 4, rounded up (src/harness/model/tokens.ts), over the request's tools and messages as JSON",
        cache: `longest prefix shared with the previous request, counted when ≥ ${minimumCachedTokens} tokens`,
        "stable-prefix ratio": "cached tokens ÷ prompt tokens over every request after the first",
        "cache break":
          "a request in which an earlier message of the previous request changed (a batch masked, a summary written)",
        cost: `uncached input × ${costWeights.uncached} + cached input × ${costWeights.cached} + output × ${costWeights.output} (tokens at the base input price)`,
        "tool output limit": `${benchOutputLimit} characters (as fetch_url): larger outputs reach the model as a preview and an artifact handle, in both modes`,
        seed,
      },
      cells,
      windows: windowResults,
      determinism: {
        identicalPrompts: first.digest === again.digest && first.requests === again.requests,
        detail: `${repeated.steps} steps × ${repeated.outputTokens / 1000}k run twice, ${first.requests} requests, sha256 of every request's bytes`,
      },
      targets: evaluateTargets(cells),
      elapsedSeconds: Math.round((Date.now() - started) / 1000),
    };
    mkdirSync(resultsDirectory, { recursive: true });
    writeFileSync(`${resultsDirectory}context.json`, `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(`${resultsDirectory}context.md`, renderReport(results));
    for (const target of results.targets)
      console.log(`${target.met ? "met   " : "MISSED"} ${target.name}: ${target.detail}`);
    console.log(`wrote ${resultsDirectory}context.json and context.md in ${results.elapsedSeconds} s`);
  } finally {
    await close();
  }
}

await main();
