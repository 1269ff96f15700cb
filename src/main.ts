import { type Config, ConfigError, loadConfig } from "./config/index.js";
import { startWeb } from "./roles/web.js";
import { startWorker } from "./roles/worker.js";
import { createServices, type Services } from "./services.js";
import { defaultTools } from "./tools/registry.js";

/**
 * One build, several roles: ROLE=web (the Slack edge and health), worker (runs), scheduler
 * (schedules), or all. Stops gracefully on SIGTERM/SIGINT: stop taking work, let running steps
 * checkpoint, close connections, exit within SHUTDOWN_GRACE_MS.
 */
export interface Running {
  services: Services;
  webUrl: string | undefined;
  stop(): Promise<void>;
}

export async function start(config: Config, services: Services = createServices(config)): Promise<Running> {
  const role = config.role;
  const stops: Array<() => Promise<void>> = [];
  let webUrl: string | undefined;
  if (role === "worker" || role === "all") {
    const worker = await startWorker(services, { tools: async () => defaultTools(services) });
    stops.push(() => worker.close(config.worker.shutdownGraceMs));
  }
  if (role === "web" || role === "all") {
    const web = await startWeb(services);
    webUrl = web.url;
    stops.push(() => web.close());
  }
  services.logger.info({ role }, "coworker started");
  return {
    services,
    webUrl,
    async stop() {
      // Web first (stop taking work), then workers (drain), then connections.
      for (const stop of stops.reverse()) await stop();
      await services.close();
    },
  };
}

export function stopOnSignals(running: Running, graceMs: number): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    running.services.logger.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), graceMs + 5000);
    force.unref();
    void running.stop().then(
      () => process.exit(0),
      (error) => {
        running.services.logger.error({ error: String(error) }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const running = await start(config);
  stopOnSignals(running, config.worker.shutdownGraceMs);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  void main();
}
