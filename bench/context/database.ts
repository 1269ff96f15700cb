import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../../src/generated/prisma/client.js";
import { createDatabase as createPostgresDatabase, startPostgres } from "../../src/local/postgres.js";
import type { Database } from "../../src/storage/database.js";
import { migrate } from "../../src/storage/migrate.js";

/**
 * A private, migrated Postgres for one benchmark run, removed afterwards. The run state column is
 * stored uncompressed: the naive baseline checkpoints megabytes of transcript per step, and
 * compressing it would make the benchmark measure pglz rather than the harness. Transactions may wait
 * long for a connection: on a busy two-core machine Prisma's 2-second default is not always enough.
 */
export async function benchDatabase(): Promise<{ database: Database; close(): Promise<void> }> {
  const root = mkdtempSync(join(tmpdir(), "coworker-bench-"));
  chmodSync(root, 0o755); // the postgres user must reach its data directory
  const postgres = await startPostgres({ dataDirectory: join(root, "postgres"), durable: false });
  try {
    await createPostgresDatabase(postgres.url, "bench");
    await migrate(postgres.databaseUrl("bench"));
    const database: Database = new PrismaClient({
      adapter: new PrismaPg({ connectionString: postgres.databaseUrl("bench"), max: 6 }),
      transactionOptions: { maxWait: 60_000, timeout: 120_000 },
    });
    await database.$executeRawUnsafe('ALTER TABLE "Run" ALTER COLUMN "state" SET STORAGE EXTERNAL');
    return {
      database,
      async close() {
        await database.$disconnect();
        await postgres.stop();
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await postgres.stop();
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}
