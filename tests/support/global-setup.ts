import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { createDatabase, startPostgres } from "../../src/local/postgres.js";
import { startRedis } from "../../src/local/redis.js";
import { migrate } from "../../src/storage/migrate.js";

/**
 * One real Postgres and one real Redis for the whole run, started the way `npm run dev` starts them
 * (Postgres from the npm package, redis-server installed when missing: src/local/). Each test file
 * gets its own database, copied from a migrated template (see ./stack.ts), and each test its own
 * queue prefix.
 */
export const templateDatabase = "coworker_template";

export default async function setup(project: TestProject) {
  const root = mkdtempSync(join(tmpdir(), "coworker-test-"));
  chmodSync(root, 0o755); // the postgres user must reach its data directory
  const postgres = await startPostgres({ dataDirectory: join(root, "postgres"), durable: false });
  await createDatabase(postgres.url, templateDatabase);
  await migrate(postgres.databaseUrl(templateDatabase));
  const redis = await startRedis();
  project.provide("postgresUrl", postgres.url);
  project.provide("redisUrl", redis.url);
  return async () => {
    await redis.stop();
    await postgres.stop();
    rmSync(root, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
    redisUrl: string;
  }
}
