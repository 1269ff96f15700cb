import { mkdtempSync, rmSync } from "node:fs";
import { chmod } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { startPostgres } from "../../src/local/postgres.js";
import { postgresBinaries } from "../../src/local/postgres-binaries.js";

/**
 * Run by tests/local/postgres-from-npm.test.ts in a child process with a bare PATH: starts Postgres
 * the way dev, tests and benchmarks do, asks the server for its version, prints one JSON line, stops.
 * argv[2]: comma-separated service users to try when root; argv[3] "closed": the data directory is
 * asked for inside a folder only root can enter (as in a checkout under /root).
 */
const root = mkdtempSync(join(tmpdir(), "coworker-postgres-"));
await chmod(root, process.argv[3] === "closed" ? 0o700 : 0o755);
try {
  const postgres = await startPostgres({
    dataDirectory: join(root, "data"),
    durable: false,
    serviceUsers: process.argv[2]?.split(","),
  });
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  const { rows } = await client.query<{ server_version: string }>("SHOW server_version");
  const owner = await client.query<{ user: string }>("SELECT current_user AS user");
  await client.end();
  await postgres.stop();
  console.log(
    JSON.stringify({
      serverVersion: rows[0]!.server_version,
      user: owner.rows[0]!.user,
      binary: postgresBinaries().postgres,
      requested: join(root, "data"),
      dataDirectory: postgres.dataDirectory,
    }),
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
