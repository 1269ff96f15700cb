import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import { type Config, parseConfig } from "../../src/config/index.js";
import type { SlackEmulator } from "../../src/emulator/index.js";
import { createDatabase as createPostgresDatabase } from "../../src/local/postgres.js";
import { createDatabase, type Database } from "../../src/storage/database.js";

const templateDatabase = "coworker_template";

export function redisUrl(): string {
  return inject("redisUrl");
}

/** A fresh database for one test file, copied from the migrated template. */
export async function testDatabaseUrl(): Promise<string> {
  const maintenanceUrl = inject("postgresUrl");
  const name = `test_${randomUUID().replaceAll("-", "")}`;
  await createPostgresDatabase(maintenanceUrl, name, templateDatabase);
  return maintenanceUrl.replace(/\/postgres$/, `/${name}`);
}

export async function testDatabase(): Promise<{ url: string; database: Database }> {
  const url = await testDatabaseUrl();
  return { url, database: createDatabase(url, { poolSize: 5 }) };
}

/** A queue prefix no other test uses, so BullMQ keys never collide. */
export function testQueuePrefix(): string {
  return `t${randomUUID().replaceAll("-", "").slice(0, 12)}`;
}

export const testEncryptionKey = "test-encryption-key-0123456789abcdef0123456789";

/** A valid configuration for tests: pass what the test cares about. */
export function testConfig(values: Record<string, string | undefined> = {}): Config {
  return parseConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    DATABASE_URL: "postgresql://postgres@127.0.0.1:1/unused",
    REDIS_URL: redisUrl(),
    QUEUE_PREFIX: testQueuePrefix(),
    SLACK_SIGNING_SECRET: "test-signing-secret",
    ENCRYPTION_KEY: testEncryptionKey,
    PORT: "0",
    ...values,
  });
}

/**
 * The environment that points the app at a test database, the Slack emulator and, given one, the
 * fake model server, listening on loopback only: for `testConfig` or a child process's `loadConfig`.
 */
export function appEnvironment(parts: {
  databaseUrl: string;
  slack: Pick<SlackEmulator, "apiUrl" | "botToken" | "signingSecret">;
  model?: { url: string };
}): Record<string, string> {
  const { databaseUrl, slack, model } = parts;
  return {
    DATABASE_URL: databaseUrl,
    SLACK_API_URL: slack.apiUrl,
    SLACK_BOT_TOKEN: slack.botToken ?? "",
    SLACK_SIGNING_SECRET: slack.signingSecret,
    ENCRYPTION_KEY: testEncryptionKey,
    HOST: "127.0.0.1",
    ...(model ? { LLM_BASE_URL: model.url, LLM_MODEL: "fake-model", LLM_API_KEY: "test-model-key" } : {}),
  };
}
