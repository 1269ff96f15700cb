import { loadDatabaseUrl } from "../config/database.js";
import { ConfigError } from "../config/index.js";
import { isEntryPoint } from "../entry-point.js";
import { migrate } from "./migrate.js";

/**
 * `npm run migrate` (or `node dist/storage/migrate-command.js` in the image): applies the committed
 * migrations to DATABASE_URL with the offline migrator (./migrate.ts), which needs no download of
 * Prisma's schema engine and writes the same `_prisma_migrations` rows as `prisma migrate deploy`.
 * Fly's release command. Exits 0 when the database is up to date, 1 on a failed migration, 2 on
 * missing configuration.
 */
export async function migrateCommand(): Promise<number> {
  let databaseUrl: string;
  try {
    databaseUrl = loadDatabaseUrl();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  try {
    const applied = await migrate(databaseUrl);
    console.log(
      applied.length
        ? `applied ${applied.length} migration${applied.length === 1 ? "" : "s"}: ${applied.join(", ")}`
        : "the database is up to date: no migration to apply",
    );
    return 0;
  } catch (error) {
    console.error(`migration failed: ${(error as Error).message}`);
    return 1;
  }
}

if (isEntryPoint(import.meta.url)) {
  process.exitCode = await migrateCommand();
}
