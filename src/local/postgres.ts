import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdirSync } from "node:fs";
import pg from "pg";
import { freePort } from "./ports.js";
import { findBinary, recentOutput, serviceUser, spawnService, stopChild, waitFor } from "./process.js";

export interface LocalPostgres {
  /** URL of the `postgres` maintenance database; use `databaseUrl(name)` for others. */
  url: string;
  port: number;
  databaseUrl(name: string): string;
  stop(): Promise<void>;
}

/**
 * Starts a private Postgres server from the installed binaries, listening on loopback only, with its
 * data in `dataDirectory` (created with initdb on first use). `durable: false` trades crash safety
 * for speed (tests).
 */
export async function startPostgres(options: {
  dataDirectory: string;
  port?: number;
  durable?: boolean;
}): Promise<LocalPostgres> {
  const postgres = findBinary("postgres");
  const initdb = findBinary("initdb");
  const user = serviceUser();
  const { dataDirectory } = options;
  if (!existsSync(`${dataDirectory}/PG_VERSION`)) {
    mkdirSync(dataDirectory, { recursive: true, mode: 0o700 });
    if (user) chownSync(dataDirectory, user.uid, user.gid);
    execFileSync(
      initdb,
      ["-D", dataDirectory, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync"],
      {
        stdio: "pipe",
        ...user,
      },
    );
  }
  const port = options.port ?? (await freePort());
  const settings = [
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    "unix_socket_directories=",
    "-c",
    "max_connections=300",
  ];
  if (options.durable === false)
    settings.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  const child = spawnService(postgres, ["-D", dataDirectory, "-p", String(port), ...settings], user);
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  await waitFor(
    async () => {
      if (exited) throw new Error(`postgres exited: ${recentOutput(child)}`);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.end();
      return true;
    },
    30_000,
    "postgres",
  ).catch((error) => {
    child.kill("SIGKILL");
    throw new Error(`${error.message}\n${recentOutput(child)}`);
  });
  return {
    url,
    port,
    databaseUrl: (name) => `postgresql://postgres@127.0.0.1:${port}/${name}`,
    // SIGINT is Postgres's "fast shutdown": it rolls back open transactions and exits cleanly.
    stop: () => stopChild(child, "SIGINT"),
  };
}

/** Creates a database if it does not exist, optionally as a copy of a template. */
export async function createDatabase(maintenanceUrl: string, name: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (exists.rowCount) return;
    await client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ""}`);
  } finally {
    await client.end();
  }
}
