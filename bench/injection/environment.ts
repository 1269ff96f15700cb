import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { createDatabase as createPostgresDatabase, startPostgres } from "../../src/local/postgres.js";
import { startRedis } from "../../src/local/redis.js";
import { createDatabase } from "../../src/storage/database.js";
import { migrate } from "../../src/storage/migrate.js";
import type { InjectionEnvironment } from "./world.js";

/**
 * Private Postgres and Redis for the injection benchmark, on loopback. It measures outcomes, not
 * speed, so Postgres runs without fsync (as the tests' does); each case gets a database copied from a
 * migrated template.
 */
export async function startInjectionEnvironment(): Promise<
  InjectionEnvironment & { close(): Promise<void> }
> {
  const root = mkdtempSync(join(tmpdir(), "coworker-injection-"));
  chmodSync(root, 0o755); // the postgres user must reach its data directory
  const postgres = await startPostgres({ dataDirectory: join(root, "postgres"), durable: false });
  const template = "injection_template";
  await createPostgresDatabase(postgres.url, template);
  await migrate(postgres.databaseUrl(template));
  const redis = await startRedis();
  return {
    redisUrl: redis.url,
    async database(name) {
      await createPostgresDatabase(postgres.url, name, template);
      const url = postgres.databaseUrl(name);
      const database = createDatabase(url, { poolSize: 5 });
      return { url, database, drop: () => dropDatabase(postgres.url, name) };
    },
    async close() {
      await redis.stop();
      await postgres.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Drops a case's database once its world is closed (anything still connected is disconnected). */
export async function dropDatabase(maintenanceUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
