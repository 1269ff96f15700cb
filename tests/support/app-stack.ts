import {
  type SlackEmulator,
  type SlackEmulatorOptions,
  startSlackEmulator,
} from "../../src/emulator/index.js";
import { type Running, start } from "../../src/main.js";
import { createServices, type Services } from "../../src/services.js";
import type { Database } from "../../src/storage/database.js";
import {
  type FakeModelServer,
  type FakeModelServerOptions,
  startFakeModelServer,
} from "./fake-model-server.js";
import { testConfig, testDatabase } from "./stack.js";

/**
 * The whole product in one test process: the Slack emulator, the fake model server, a fresh database,
 * and the real app (web and worker roles) wired to them over HTTP.
 */
export interface AppStack {
  slack: SlackEmulator;
  model: FakeModelServer;
  database: Database;
  databaseUrl: string;
  services: Services;
  running: Running;
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startAppStack(options: {
  reply: FakeModelServerOptions["reply"];
  env?: Record<string, string>;
  emulator?: SlackEmulatorOptions;
}): Promise<AppStack> {
  const slack = await startSlackEmulator(options.emulator);
  const model = await startFakeModelServer({ reply: options.reply });
  const { url: databaseUrl, database } = await testDatabase();
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    SLACK_API_URL: slack.apiUrl,
    SLACK_BOT_TOKEN: slack.botToken ?? "",
    SLACK_SIGNING_SECRET: slack.signingSecret,
    LLM_BASE_URL: model.url,
    LLM_MODEL: "fake-model",
    LLM_API_KEY: "test-model-key",
    HOST: "127.0.0.1",
    ...options.env,
  };
  const config = testConfig(env);
  env.QUEUE_PREFIX = config.queuePrefix;
  env.REDIS_URL = config.redisUrl;
  const services = createServices(config);
  const running = await start(config, services);
  slack.setRequestUrl(`${running.webUrl}/slack/events`);
  return {
    slack,
    model,
    database,
    databaseUrl,
    services,
    running,
    env,
    async close() {
      await running.stop();
      await database.$disconnect();
      await model.close();
      await slack.close();
    },
  };
}
