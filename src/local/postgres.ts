import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chownSync, existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pg from "pg";
import { freePort } from "./ports.js";
import { binariesReachableBy, postgresBinaries } from "./postgres-binaries.js";
import { recentOutput, spawnService, stopChild, waitFor } from "./process.js";
import { blockingFolder, serviceUser } from "./service-user.js";

export interface LocalPostgres {
  /** URL of the `postgres` maintenance database; use `databaseUrl(name)` for others. */
  url: string;
  port: number;
  /** The server's major version (the npm build's, e.g. 18). */
  version: number;
  /** Where its data is: the requested directory, or one the service user can reach (see below). */
  dataDirectory: string;
  databaseUrl(name: string): string;
  stop(): Promise<void>;
}

/**
 * Starts a private Postgres server from the npm-shipped binaries (./postgres-binaries.ts), listening
 * on loopback only, with its data in `dataDirectory` (created with initdb on first use). `durable:
 * false` trades crash safety for speed (tests). As root, Postgres runs as a service user
 * (./service-user.ts).
 */
export async function startPostgres(options: {
  dataDirectory: string;
  port?: number;
  durable?: boolean;
  /** Users to run as when we are root, first existing wins (default: postgres, then nobody). */
  serviceUsers?: string[];
  say?: (line: string) => void;
}): Promise<LocalPostgres> {
  const user = serviceUser(options.serviceUsers);
  const binaries = binariesReachableBy(postgresBinaries(), user);
  const ids = user ? { uid: user.uid, gid: user.gid } : undefined;
  const say = options.say ?? ((line: string) => console.error(`[local] ${line}`));
  let dataDirectory = options.dataDirectory;
  const blocked = user ? blockingFolder(dataDirectory, user) : undefined;
  if (user && blocked) {
    // As root in a checkout the service user cannot reach (under /root): the data lives elsewhere,
    // at a place derived from the requested one, so the next start finds it again.
    const hash = createHash("sha256").update(resolve(dataDirectory)).digest("hex").slice(0, 12);
    const relocated = join(existsSync("/var/tmp") ? "/var/tmp" : tmpdir(), `coworker-postgres-data-${hash}`);
    say(
      `Postgres runs as ${user.name} (it refuses root), who cannot reach ${dataDirectory} (${blocked} is closed to it): its data is in ${relocated}`,
    );
    dataDirectory = relocated;
  }
  const version = majorVersion(binaries.postgres);
  setAsideOtherVersion(dataDirectory, version, say);
  if (!existsSync(`${dataDirectory}/PG_VERSION`)) {
    mkdirSync(dataDirectory, { recursive: true, mode: 0o700 });
    if (user) chownSync(dataDirectory, user.uid, user.gid);
    execFileSync(
      binaries.initdb,
      [
        "-D",
        dataDirectory,
        "-U",
        "postgres",
        "--auth=trust",
        "--encoding=UTF8",
        // The same on every machine, whatever locales it has installed.
        "--locale=C",
        "--locale-provider=builtin",
        "--builtin-locale=C.UTF-8",
        "--no-sync",
      ],
      { stdio: "pipe", ...ids },
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
  const child = spawnService(binaries.postgres, ["-D", dataDirectory, "-p", String(port), ...settings], ids);
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
    version,
    dataDirectory,
    databaseUrl: (name) => `postgresql://postgres@127.0.0.1:${port}/${name}`,
    // SIGINT is Postgres's "fast shutdown": it rolls back open transactions and exits cleanly.
    stop: () => stopChild(child, "SIGINT"),
  };
}

function majorVersion(postgres: string): number {
  const output = execFileSync(postgres, ["--version"], { encoding: "utf8", stdio: "pipe" });
  const match = /(\d+)\.\d+/.exec(output);
  if (!match) throw new Error(`unexpected \`postgres --version\` output: ${output}`);
  return Number(match[1]);
}

/**
 * A data directory made by another major version (an older checkout used the machine's Postgres)
 * cannot be opened: it is moved aside, never deleted, and a fresh one is created.
 */
function setAsideOtherVersion(dataDirectory: string, version: number, say: (line: string) => void): void {
  const versionFile = `${dataDirectory}/PG_VERSION`;
  if (!existsSync(versionFile)) return;
  const found = Number(readFileSync(versionFile, "utf8").trim());
  if (found === version) return;
  let aside = `${dataDirectory}-postgres${found}`;
  if (existsSync(aside)) aside = `${aside}-${Date.now()}`;
  renameSync(dataDirectory, aside);
  say(
    `${dataDirectory} holds Postgres ${found} data; this project runs Postgres ${version}: moved it to ${aside}`,
  );
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
