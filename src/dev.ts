import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Config, ConfigError, environment, parseConfig } from "./config/index.js";
import { startSlackEmulator } from "./emulator/index.js";
import { isCodedError } from "./errors.js";
import { createDatabase, startPostgres } from "./local/postgres.js";
import { startRedis } from "./local/redis.js";
import { start, stopOnSignals } from "./main.js";
import { migrate } from "./storage/migrate.js";

/**
 * `npm run dev`: everything on one machine. Without DATABASE_URL / REDIS_URL it starts a private
 * Postgres and Redis (data under .local/, loopback only) and applies the migrations; without Slack
 * tokens it starts the local Slack workspace emulator and wires the bot to it.
 */
const localDirectory = fileURLToPath(new URL("../.local/", import.meta.url));

async function dev(): Promise<void> {
  const env = environment();
  const cleanup: Array<() => Promise<void>> = [];
  const say = (line: string) => console.log(`[dev] ${line}`);
  mkdirSync(localDirectory, { recursive: true });
  let running: Running;
  try {
    running = await startEverything(env, cleanup, say);
  } catch (error) {
    // A failed start stops what it had already started (Postgres, Redis, the emulator).
    await stopAll(cleanup);
    throw error;
  }
  const config = running.config;
  const stopRoles = running.stop;
  running.stop = async () => {
    await stopRoles();
    await stopAll(cleanup);
  };
  stopOnSignals(running, config.worker.shutdownGraceMs);

  if (!config.model)
    say("No model configured: set LLM_MODEL (and LLM_BASE_URL / LLM_API_KEY) in .env to get real answers.");
  if (running.emulatorUrl) {
    say(
      `Local Slack workspace: open ${running.emulatorUrl} in your browser and @-mention the coworker in #general.`,
    );
  } else {
    say(`Slack events endpoint: ${running.webUrl}/slack/events`);
  }
}

type Running = Awaited<ReturnType<typeof start>> & { config: Config; emulatorUrl?: string };

async function startEverything(
  env: Record<string, string | undefined>,
  cleanup: Array<() => Promise<void>>,
  say: (line: string) => void,
): Promise<Running> {
  if (!env.DATABASE_URL) {
    const postgres = await startPostgres({
      dataDirectory: `${localDirectory}postgres`,
      port: await preferredPort(env.DEV_POSTGRES_PORT, 54329),
      say,
    });
    cleanup.push(() => postgres.stop());
    await createDatabase(postgres.url, "coworker");
    env.DATABASE_URL = postgres.databaseUrl("coworker");
    say(`Postgres ${postgres.version} on ${env.DATABASE_URL} (data in ${postgres.dataDirectory})`);
  }
  const applied = await migrate(env.DATABASE_URL);
  if (applied.length) say(`applied migrations: ${applied.join(", ")}`);
  if (!env.REDIS_URL) {
    const redis = await startRedis({ dataDirectory: `${localDirectory}redis` });
    cleanup.push(() => redis.stop());
    env.REDIS_URL = redis.url;
    say(`Redis on ${env.REDIS_URL} (append-only file in .local/redis)`);
  }
  env.ENCRYPTION_KEY ??= localSecret("encryption-key");

  let emulator: Awaited<ReturnType<typeof startSlackEmulator>> | undefined;
  if (!env.SLACK_BOT_TOKEN && !env.SLACK_APP_TOKEN && !env.SLACK_CLIENT_ID) {
    const started = await startSlackEmulator({ port: Number(env.DEV_SLACK_PORT ?? 3001) });
    emulator = started;
    cleanup.push(() => started.close());
    env.SLACK_API_URL = started.apiUrl;
    env.SLACK_BOT_TOKEN = started.botToken;
    env.SLACK_SIGNING_SECRET = started.signingSecret;
    env.HOST ??= "127.0.0.1";
  }

  const config = parseConfig(env);
  const running = await start(config);
  if (emulator && running.webUrl) emulator.setRequestUrl(`${running.webUrl}/slack/events`);
  return Object.assign(running, { config, emulatorUrl: emulator?.url });
}

/** Stops what was started, last first; one failure does not keep the others running. */
async function stopAll(cleanup: Array<() => Promise<void>>): Promise<void> {
  for (const stop of cleanup.splice(0).reverse()) {
    await stop().catch((error: unknown) => console.error(`[dev] stopping failed: ${String(error)}`));
  }
}

/** A secret generated once for this checkout and kept in .local/. */
function localSecret(name: string): string {
  const file = `${localDirectory}${name}`;
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

async function preferredPort(configured: string | undefined, fallback: number): Promise<number> {
  return configured ? Number(configured) : fallback;
}

dev().catch((error: unknown) => {
  if (error instanceof ConfigError || isCodedError(error, "local_service_unavailable")) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
