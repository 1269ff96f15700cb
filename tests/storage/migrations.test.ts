import { execFileSync } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { createDatabase } from "../../src/local/postgres.js";
import { migrate, migrationsDirectory, readMigrations } from "../../src/storage/migrate.js";

const maintenanceUrl = () => inject("postgresUrl");
const urlOf = (name: string) => maintenanceUrl().replace(/\/postgres$/, `/${name}`);

async function emptyDatabase(label: string): Promise<string> {
  const name = `${label}_${Math.random().toString(36).slice(2, 10)}`;
  await createDatabase(maintenanceUrl(), name);
  return urlOf(name);
}

/**
 * The schema as a comparable description: columns (by name, so the order of ALTER TABLE ... ADD COLUMN
 * does not matter), indexes, constraints and enum types. _prisma_migrations is Prisma's own.
 */
async function schemaOf(url: string): Promise<string[]> {
  const statements = [
    `SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || udt_name || ' null=' || is_nullable || ' default=' || coalesce(column_default, '')
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    `SELECT 'index ' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
    `SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
       FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '_prisma_migrations'`,
    `SELECT 'enum ' || t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
  ];
  const lines: string[] = [];
  for (const statement of statements) {
    const result = await query(url, statement);
    for (const row of result.rows) lines.push(String(Object.values(row)[0]));
  }
  return lines.sort();
}

async function query(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

describe("migrations", () => {
  it("the committed migrations produce exactly the schema in schema.prisma (no drift)", async () => {
    const migrated = await emptyDatabase("drift_migrations");
    await migrate(migrated);
    const fromSchema = await emptyDatabase("drift_schema");
    // Prisma's own diff from nothing to the datamodel, through its bundled WebAssembly engine.
    const script = execFileSync(
      "node_modules/.bin/prisma",
      [
        "migrate",
        "diff",
        "--config",
        "prisma/offline.config.ts",
        "--from-empty",
        "--to-schema-datamodel",
        "prisma/schema.prisma",
        "--script",
      ],
      {
        encoding: "utf8",
        env: { ...process.env, DATABASE_URL: fromSchema, PRISMA_QUERY_ENGINE_LIBRARY: "package.json" },
      },
    );
    await query(fromSchema, script);
    const expected = await schemaOf(fromSchema);
    expect(expected.length).toBeGreaterThan(50);
    expect(await schemaOf(migrated)).toEqual(expected);
  });

  it("records migrations in Prisma's own table, with Prisma's checksums, once", async () => {
    const url = await emptyDatabase("bookkeeping");
    const first = await migrate(url);
    expect(first).toEqual(readMigrations().map((migration) => migration.name));
    expect(await migrate(url)).toEqual([]);
    const rows = await query(
      url,
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.rows.map((row) => row.migration_name)).toEqual(first);
    for (const [index, row] of rows.rows.entries()) {
      expect(row.checksum).toBe(readMigrations()[index]?.checksum);
      expect(row.finished_at).not.toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it("serializes concurrent migrators: three at once apply each migration once", async () => {
    const url = await emptyDatabase("concurrent");
    const results = await Promise.all([migrate(url), migrate(url), migrate(url)]);
    expect(results.flat().sort()).toEqual(readMigrations().map((migration) => migration.name));
  });

  it("refuses a migration that was edited after it was applied", async () => {
    const url = await emptyDatabase("edited");
    const copy = mkdtempSync(join(tmpdir(), "migrations-"));
    cpSync(migrationsDirectory, copy, { recursive: true });
    await migrate(url, copy);
    const [firstMigration] = readMigrations(copy);
    appendFileSync(join(copy, firstMigration!.name, "migration.sql"), "\n-- edited\n");
    await expect(migrate(url, copy)).rejects.toThrow(/was edited after it was applied/);
  });

  it("rolls back a failing migration entirely", async () => {
    const url = await emptyDatabase("failing");
    const copy = mkdtempSync(join(tmpdir(), "migrations-"));
    cpSync(migrationsDirectory, copy, { recursive: true });
    await migrate(url, copy);
    execFileSync("mkdir", [join(copy, "99999999999999_broken")]);
    writeFileSync(
      join(copy, "99999999999999_broken", "migration.sql"),
      `CREATE TABLE "Broken" (id int);\nSELECT nope;`,
    );
    await expect(migrate(url, copy)).rejects.toThrow(/99999999999999_broken failed/);
    const table = await query(url, `SELECT to_regclass('"Broken"') AS name`);
    expect(table.rows[0].name).toBeNull();
  });
});
