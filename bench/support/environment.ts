import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SlackEmulator } from "../../src/emulator/index.js";
import {
  createDatabase as createPostgresDatabase,
  type LocalPostgres,
  startPostgres,
} from "../../src/local/postgres.js";
import { type LocalRedis, startRedis } from "../../src/local/redis.js";
import { createDatabase, type Database } from "../../src/storage/database.js";
import { migrate } from "../../src/storage/migrate.js";

/**
 * The private servers the benchmarks run on: a Postgres with production settings (fsync and
 * synchronous commit on) and a Redis with its append-only file, both on loopback. Each benchmark gets
 * its own database, copied from a migrated template, and its own queue prefix.
 */
export interface BenchEnvironment {
  postgres: LocalPostgres;
  redis: LocalRedis;
  /** A fresh migrated database for one benchmark. */
  database(name: string): Promise<{ url: string; database: Database }>;
  close(): Promise<void>;
}

const template = "bench_template";

export async function startBenchEnvironment(): Promise<BenchEnvironment> {
  const root = mkdtempSync(join(tmpdir(), "coworker-bench-"));
  chmodSync(root, 0o755); // the postgres user must reach its data directory
  const postgres = await startPostgres({ dataDirectory: join(root, "postgres") });
  await createPostgresDatabase(postgres.url, template);
  await migrate(postgres.databaseUrl(template));
  const redis = await startRedis({ dataDirectory: join(root, "redis") });
  const opened: Database[] = [];
  return {
    postgres,
    redis,
    async database(name) {
      await createPostgresDatabase(postgres.url, name, template);
      const url = postgres.databaseUrl(name);
      const database = createDatabase(url, { poolSize: 10 });
      opened.push(database);
      return { url, database };
    },
    async close() {
      await Promise.all(opened.map((database) => database.$disconnect()));
      await redis.stop();
      await postgres.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The environment of an app process (web or worker) wired to the benchmark's servers and stand-ins. */
export function appEnvironment(input: {
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  slack: SlackEmulator;
  modelUrl: string;
  extra?: Record<string, string>;
}): Record<string, string> {
  return {
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    DATABASE_URL: input.databaseUrl,
    REDIS_URL: input.redisUrl,
    QUEUE_PREFIX: input.queuePrefix,
    SLACK_API_URL: input.slack.apiUrl,
    SLACK_BOT_TOKEN: input.slack.botToken ?? "",
    SLACK_SIGNING_SECRET: input.slack.signingSecret,
    ENCRYPTION_KEY: "bench-encryption-key-0123456789abcdef0123456789",
    LLM_BASE_URL: input.modelUrl,
    LLM_MODEL: "fake-model",
    LLM_API_KEY: "bench-model-key",
    HOST: "127.0.0.1",
    ...input.extra,
  };
}
