import { execFile } from "node:child_process";
import { tmpdir } from "node:os";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { createDatabase } from "../../src/local/postgres.js";
import { readMigrations } from "../../src/storage/migrate.js";

/**
 * The deployer's path (docs/deploy.md, fly.toml's release command): `npm run migrate` against
 * DATABASE_URL, in a child process with only what a deployer sets, leaves exactly the rows
 * `prisma migrate deploy` would write, so either tool can take over later.
 */
const projectRoot = fileURLToPath(new URL("../..", import.meta.url));

async function freshDatabase(): Promise<string> {
  const name = `deploy_${Math.random().toString(36).slice(2, 10)}`;
  await createDatabase(inject("postgresUrl"), name);
  return inject("postgresUrl").replace(/\/postgres$/, `/${name}`);
}

async function npmRunMigrate(env: Record<string, string>) {
  const result = await promisify(execFile)("npm", ["run", "-s", "migrate"], {
    cwd: projectRoot,
    env: { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, HOME: tmpdir(), ...env },
    timeout: 60_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
  return result;
}

describe("npm run migrate", () => {
  it("applies the committed migrations with Prisma's bookkeeping, then finds nothing to do", async () => {
    const url = await freshDatabase();
    const first = await npmRunMigrate({ DATABASE_URL: url });
    expect(first.code).toBe(0);
    const migrations = readMigrations();
    expect(first.stdout).toContain(`applied ${migrations.length} migration`);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const rows = await client.query(
        `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, rolled_back_at, logs, applied_steps_count
           FROM "_prisma_migrations" ORDER BY migration_name`,
      );
      expect(rows.rows).toEqual(
        migrations.map((migration) => ({
          migration_name: migration.name,
          checksum: migration.checksum,
          finished: true,
          rolled_back_at: null,
          logs: null,
          applied_steps_count: 1,
        })),
      );
      const tables = await client.query(`SELECT to_regclass('public."Run"') AS run`);
      expect(tables.rows[0].run).not.toBeNull();

      const second = await npmRunMigrate({ DATABASE_URL: url });
      expect(second.code).toBe(0);
      expect(second.stdout).toContain("up to date");
      const count = await client.query(`SELECT count(*)::int AS n FROM "_prisma_migrations"`);
      expect(count.rows[0].n).toBe(migrations.length);
    } finally {
      await client.end();
    }
  }, 120_000);

  it("says what is missing without DATABASE_URL", async () => {
    const result = await npmRunMigrate({});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("DATABASE_URL is required");
  }, 60_000);
});
