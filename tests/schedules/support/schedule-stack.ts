import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type SlackEmulator, startSlackEmulator } from "../../../src/emulator/index.js";
import type { Logger } from "../../../src/logger.js";
import { startWorker, type WorkerRole } from "../../../src/roles/worker.js";
import {
  type RunningScheduler,
  type SchedulerOptions,
  startScheduler,
} from "../../../src/schedules/scheduler.js";
import { createServices, type Services } from "../../../src/services.js";
import { registerScheduleActions } from "../../../src/slack/actions/schedule-modal.js";
import { createSlackApp } from "../../../src/slack/app.js";
import type { Database } from "../../../src/storage/database.js";
import type { Tool } from "../../../src/tools/tool.js";
import { type FakeModelServerOptions, startFakeModelServer } from "../../support/fake-model-server.js";
import { appEnvironment, testConfig, testDatabase } from "../../support/stack.js";

/**
 * Schedules on real parts: the Slack emulator, a fresh database, Redis, the real Bolt app (with the
 * schedule modal's listeners) as the web process, and on demand run workers and scheduler replicas,
 * each replica with its own Services (its own Postgres pool and Redis connections), as separate
 * processes would have. `now` is the clock of the web process and of every replica.
 */
export interface ScheduleStack {
  slack: SlackEmulator;
  database: Database;
  /** The web process's services. */
  services: Services;
  startScheduler(options?: SchedulerOptions): Promise<RunningScheduler & { services: Services }>;
  startRunWorker(tools?: Tool[]): Promise<WorkerRole>;
  /** Runs `/coworker <text>` and returns the first answer only `user` sees in that channel. */
  command(user: string, text: string, channel?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startScheduleStack(
  options: { now?: () => number; reply?: FakeModelServerOptions["reply"]; logger?: Logger } = {},
): Promise<ScheduleStack> {
  const slack = await startSlackEmulator();
  const model = await startFakeModelServer({ reply: options.reply ?? (() => ({ text: "Done." })) });
  const { url: databaseUrl, database } = await testDatabase();
  const config = testConfig({ ...appEnvironment({ databaseUrl, slack, model }), ROLE: "web" });
  const clock = {
    ...(options.now ? { now: options.now } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  };
  const services = createServices(config, clock);
  const app = createSlackApp(services, []);
  registerScheduleActions(app, services);
  const server = (await app.start({ port: 0, host: "127.0.0.1" })) as unknown as Server;
  const port = (server.address() as AddressInfo).port;
  slack.setRequestUrl(`http://127.0.0.1:${port}/slack/events`);

  const closers: Array<() => Promise<void>> = [];
  return {
    slack,
    database,
    services,
    async startScheduler(schedulerOptions = {}) {
      const replicaServices = createServices(config, clock);
      const scheduler = await startScheduler(replicaServices, schedulerOptions);
      let closed = false;
      const close = async () => {
        if (closed) return;
        closed = true;
        await scheduler.close();
        await replicaServices.close();
      };
      closers.push(close);
      return { ...scheduler, services: replicaServices, close };
    },
    async startRunWorker(tools = []) {
      const worker = await startWorker(services, { tools: async () => tools });
      let closed = false;
      const close = async () => {
        if (closed) return;
        closed = true;
        await worker.close(1000);
      };
      closers.push(close);
      return { close };
    },
    async command(user, text, channel = "general") {
      const before = slack.ephemerals({ user, channel }).length;
      const result = await slack.runSlashCommand({ user, channel, command: "/coworker", text });
      if (!result.acked) throw new Error(`/coworker ${text} was not acked`);
      const answer = await slack.waitFor(() => slack.ephemerals({ user, channel }).slice(before)[0], 10_000);
      return answer.text;
    },
    async close() {
      for (const close of closers.reverse()) await close().catch(() => undefined);
      await app.stop();
      await services.close();
      await database.$disconnect();
      await model.close();
      await slack.close();
    },
  };
}
