import { benchDatabase } from "./database.js";
import { evaluateTargets, findRun, pair } from "./results.js";
import { baselineMode, type Mode } from "./runner.js";
import { type Cell, runCells } from "./sweep.js";

/**
 * Tuning aid (not part of `npm run bench:context`): runs the sweep's 2k and 8k cells once with the
 * baseline and once per masking setting, and prints the targets for each. Settings are given as
 * keepRecent:batch pairs, e.g. `npx tsx bench/context/tune.ts 1:8,2:8,2:6`.
 */
const settings = (process.argv[2] ?? "1:8").split(",").map((entry) => entry.split(":").map(Number));
const cells: Cell[] = [10, 25, 50, 100].flatMap((steps) =>
  [2000, 8000].map((outputTokens) => ({ steps, outputTokens })),
);
const { database, close } = await benchDatabase();
try {
  const modes: Mode[] = settings.map(([keepRecent, batch]) => ({
    name: `keepRecent ${keepRecent}, batch ${batch}`,
    contextManagement: { keepRecent, batch },
  }));
  const runs = await runCells(
    database,
    cells.flatMap((cell) => [baselineMode, ...modes].map((mode) => ({ cell, mode }))),
  );
  for (const mode of modes) {
    const results = cells.map((cell) =>
      pair(cell, findRun(runs, cell, baselineMode.name), findRun(runs, cell, mode.name)),
    );
    console.log(`== ${mode.name}`);
    for (const cell of results) {
      console.log(
        `${cell.steps} steps × ${cell.outputTokens}: tokens ${cell.promptTokensRatio}, cost ${cell.costRatio}, ` +
          `stable prefix ${cell.managed.measure.stablePrefixRatio.toFixed(3)}, facts ${JSON.stringify(cell.managed.facts)}`,
      );
    }
    for (const target of evaluateTargets(results)) {
      console.log(`  ${target.met ? "met   " : "MISSED"} ${target.name}: ${target.detail}`);
    }
  }
} finally {
  await close();
}
