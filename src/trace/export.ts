import { createWriteStream } from "node:fs";
import { parseArgs } from "node:util";
import { loadConfig } from "../config/index.js";
import { configuredRedactor } from "../observability/secrets.js";
import { createDatabase } from "../storage/database.js";
import { trajectories } from "./trajectories.js";

/**
 * `npm run trajectories:export -- [--out file.jsonl] [--outcome completed,failed] [--since 2026-11-01]
 * [--until 2026-12-01] [--workspace T123]`: writes runs as JSONL (stdout when --out is left out).
 */
const { values } = parseArgs({
  options: {
    out: { type: "string" },
    outcome: { type: "string" },
    since: { type: "string" },
    until: { type: "string" },
    workspace: { type: "string" },
  },
});
const config = loadConfig();
const database = createDatabase(config.databaseUrl);
const redact = configuredRedactor(config);
const output = values.out ? createWriteStream(values.out) : process.stdout;
let count = 0;
for await (const line of trajectories(
  database,
  {
    outcomes: values.outcome?.split(","),
    since: values.since ? new Date(values.since) : undefined,
    until: values.until ? new Date(values.until) : undefined,
    workspaceId: values.workspace,
  },
  redact,
)) {
  output.write(`${line}\n`);
  count += 1;
}
if (values.out) output.end();
console.error(`exported ${count} run${count === 1 ? "" : "s"}`);
await database.$disconnect();
