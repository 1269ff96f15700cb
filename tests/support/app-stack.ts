import type { Config } from "../../src/config/index.js";
import {
  type SlackEmulator,
  type SlackEmulatorOptions,
  startSlackEmulator,
} from "../../src/emulator/index.js";
import type { Logger } from "../../src/logger.js";
import { type Running, start } from "../../src/main.js";
import { startWeb } from "../../src/roles/web.js";
import { startWorker } from "../../src/roles/worker.js";
import { createServices, type Services } from "../../src/services.js";
import type { Database } from "../../src/storage/database.js";
import type { Tool } from "../../src/tools/tool.js";
import {
  type FakeModelServer,
  type FakeModelServerOptions,
  startFakeModelServer,
} from "./fake-model-server.js";
import { appEnvironment, testConfig, testDatabase } from "./stack.js";

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
  /**
   * Stops every process of the app (web and worker roles, their connections) and starts new ones on
   * the same database and Redis: what a deploy or a crash of everything looks like. `services` and
   * `running` then refer to the new processes.
   */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startAppStack(options: {
  reply: FakeModelServerOptions["reply"];
  env?: Record<string, string>;
  emulator?: SlackEmulatorOptions;
  /** The worker's tools instead of the default ones (e.g. a test tool with risk "write"). */
  tools?: Tool[];
  /** The app's logger (e.g. one writing to a capture stream), kept across restarts. */
  logger?: Logger;
}): Promise<AppStack> {
  const slack = await startSlackEmulator(options.emulator);
  const model = await startFakeModelServer({ reply: options.reply });
  const { url: databaseUrl, database } = await testDatabase();
  const env: Record<string, string> = { ...appEnvironment({ databaseUrl, slack, model }), ...options.env };
  const config = testConfig(env);
  env.QUEUE_PREFIX = config.queuePrefix;
  env.REDIS_URL = config.redisUrl;
  const services = createServices(config, options.logger ? { logger: options.logger } : {});
  const running = await startRoles(config, services, options.tools);
  slack.setRequestUrl(`${running.webUrl}/slack/events`);
  const stack: AppStack = {
    slack,
    model,
    database,
    databaseUrl,
    services,
    running,
    env,
    async restart() {
      await stack.running.stop();
      stack.services = createServices(config, options.logger ? { logger: options.logger } : {});
      stack.running = await startRoles(config, stack.services, options.tools);
      slack.setRequestUrl(`${stack.running.webUrl}/slack/events`);
    },
    async close() {
      await stack.running.stop();
      await database.$disconnect();
      await model.close();
      await slack.close();
    },
  };
  return stack;
}

/** The app's roles as `start` runs them; with `tools`, a worker that offers exactly those tools. */
async function startRoles(config: Config, services: Services, tools: Tool[] | undefined): Promise<Running> {
  if (!tools) return start(config, services);
  const worker = await startWorker(services, { tools: async () => tools });
  const web = await startWeb(services);
  return {
    services,
    webUrl: web.url,
    async stop() {
      await web.close();
      await worker.close(config.worker.shutdownGraceMs);
      await services.close();
    },
  };
}
