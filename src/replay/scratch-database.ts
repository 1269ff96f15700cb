import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDatabase, type Database } from "../storage/database.js";
import { migrate } from "../storage/migrate.js";

/**
 * A throwaway database for a replay, on the same Postgres server as `databaseUrl` (the role needs
 * CREATEDB): created, migrated, and dropped when the replay is done. Replaying there means a replay
 * can never leave anything behind in the real database, even if it is killed halfway.
 */
export interface ScratchDatabase {
  url: string;
  database: Database;
  drop(): Promise<void>;
}

export async function createScratchDatabase(databaseUrl: string): Promise<ScratchDatabase> {
  const name = `coworker_replay_${randomBytes(6).toString("hex")}`;
  const maintenance = new URL(databaseUrl);
  maintenance.pathname = "/postgres";
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  await withClient(maintenance.toString(), (client) => client.query(`CREATE DATABASE "${name}"`));
  try {
    await migrate(url.toString());
  } catch (error) {
    await withClient(maintenance.toString(), (client) => client.query(`DROP DATABASE IF EXISTS "${name}"`));
    throw error;
  }
  const database = createDatabase(url.toString(), { poolSize: 2 });
  return {
    url: url.toString(),
    database,
    async drop() {
      await database.$disconnect();
      await withClient(maintenance.toString(), (client) =>
        client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      );
    },
  };
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
