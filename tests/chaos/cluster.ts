import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../../src/local/ports.js";
import {
  createDatabase as createPostgresDatabase,
  type LocalPostgres,
  startPostgres,
} from "../../src/local/postgres.js";
import { type LocalRedis, startRedis } from "../../src/local/redis.js";
import { migrate } from "../../src/storage/migrate.js";
import {
  type RoleProcess,
  startToolWorkerProcess,
  startWebProcess,
  stopRoleProcess,
} from "../support/role-processes.js";

/**
 * The processes of a chaos run: a private Postgres and a private Redis (append-only file on) that
 * can be restarted, one web process on a fixed port and several worker processes, each of which can
 * be SIGKILLed and started again. The Slack emulator, the model and the stand-in live in the test.
 */
export interface ClusterOptions {
  workers: number;
  /** Environment for the app's processes (Slack, model, stand-in URLs and settings). */
  env: Record<string, string>;
  /** Write each process's log lines (LOG_LEVEL info) to files here: web.log, worker-<slot>.log. */
  logDirectory?: string;
}

export interface Cluster {
  databaseUrl: string;
  redisUrl: string;
  webUrl: string;
  env: Record<string, string>;
  /** Indexes of worker slots whose process is up. */
  liveWorkers(): number[];
  killWorker(slot: number): Promise<void>;
  startWorker(slot: number): Promise<void>;
  killWeb(): Promise<void>;
  startWeb(): Promise<void>;
  webIsUp(): boolean;
  restartRedis(downMs: number): Promise<void>;
  restartPostgres(downMs: number): Promise<void>;
  /** Recent stderr of processes that exited on their own (crashes that were not injected). */
  unexpectedExits: string[];
  close(): Promise<void>;
}

const toolsModule = fileURLToPath(new URL("./tools.ts", import.meta.url));

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const root = mkdtempSync(join(tmpdir(), "coworker-chaos-"));
  chmodSync(root, 0o755); // the postgres user must reach its data directory
  const postgresDirectory = join(root, "postgres");
  const redisDirectory = join(root, "redis");
  let postgres: LocalPostgres = await startPostgres({ dataDirectory: postgresDirectory, durable: false });
  await createPostgresDatabase(postgres.url, "coworker");
  const databaseUrl = postgres.databaseUrl("coworker");
  await migrate(databaseUrl);
  let redis: LocalRedis = await startRedis({ dataDirectory: redisDirectory });
  const webPort = await freePort();
  const env: Record<string, string> = {
    ...(options.logDirectory ? { LOG_LEVEL: "info" } : {}),
    ...options.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    PORT: String(webPort),
    HOST: "127.0.0.1",
  };
  const workers: Array<RoleProcess | undefined> = Array.from({ length: options.workers }, () => undefined);
  const killing = new Set<RoleProcess>();
  const unexpectedExits: string[] = [];
  const starting = new Set<number | "web">();
  let web: RoleProcess | undefined;
  let closed = false;

  const discard = async (role: RoleProcess) => {
    killing.add(role);
    await stopRoleProcess(role, "SIGKILL");
  };
  const watch = (role: RoleProcess, name: string) => {
    void role.exited.then(() => {
      if (!killing.has(role) && !closed) {
        unexpectedExits.push(`${name} exited by itself (${role.child.exitCode ?? role.child.signalCode})`);
      }
    });
  };
  const cluster: Cluster = {
    databaseUrl,
    redisUrl: redis.url,
    webUrl: `http://127.0.0.1:${webPort}`,
    env,
    unexpectedExits,
    liveWorkers: () => workers.flatMap((worker, slot) => (worker ? [slot] : [])),
    async killWorker(slot) {
      const worker = workers[slot];
      if (!worker) return;
      workers[slot] = undefined;
      killing.add(worker);
      await stopRoleProcess(worker, "SIGKILL");
    },
    async startWorker(slot) {
      if (workers[slot] || starting.has(slot) || closed) return;
      starting.add(slot);
      try {
        const worker = await startToolWorkerProcess(toolsModule, env, {
          logFile: options.logDirectory && join(options.logDirectory, `worker-${slot}.log`),
        });
        if (closed) return await discard(worker);
        watch(worker, `worker ${slot}`);
        workers[slot] = worker;
      } finally {
        starting.delete(slot);
      }
    },
    async killWeb() {
      const current = web;
      if (!current) return;
      web = undefined;
      killing.add(current);
      await stopRoleProcess(current, "SIGKILL");
    },
    async startWeb() {
      if (web || starting.has("web") || closed) return;
      starting.add("web");
      try {
        const started = await startWebProcess(env, {
          logFile: options.logDirectory && join(options.logDirectory, "web.log"),
        });
        if (closed) return await discard(started);
        watch(started, "web");
        web = started;
      } finally {
        starting.delete("web");
      }
    },
    webIsUp: () => web !== undefined,
    async restartRedis(downMs) {
      await redis.stop();
      await sleep(downMs);
      redis = await startRedis({ dataDirectory: redisDirectory, port: redis.port });
    },
    async restartPostgres(downMs) {
      await postgres.stop();
      await sleep(downMs);
      postgres = await startPostgres({
        dataDirectory: postgresDirectory,
        port: postgres.port,
        durable: false,
      });
    },
    async close() {
      closed = true;
      const roles = [web, ...workers].filter((role): role is RoleProcess => role !== undefined);
      for (const role of roles) killing.add(role);
      await Promise.all(roles.map((role) => stopRoleProcess(role, "SIGKILL")));
      await redis.stop();
      await postgres.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
  await Promise.all([cluster.startWeb(), ...workers.map((_, slot) => cluster.startWorker(slot))]);
  return cluster;
}

export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
