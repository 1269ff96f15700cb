import { type Config, ConfigError, loadConfig } from "./config/index.js";
import { isEntryPoint } from "./entry-point.js";
import { googleIntegrationFor } from "./integrations/google/integration.js";
import { googleOAuthRoutes } from "./integrations/google/routes.js";
import { createMcpManager } from "./integrations/mcp/manager.js";
import { startMetricsServer } from "./observability/metrics-endpoint.js";
import { startSchedulerRole } from "./roles/scheduler.js";
import { startWeb } from "./roles/web.js";
import { startWorker } from "./roles/worker.js";
import { createServices, type Services } from "./services.js";
import { googleTools } from "./tools/google/index.js";
import { createToolRegistry, registryOptions } from "./tools/registry.js";
import { createScheduleTool } from "./tools/schedules/create-schedule.js";
import type { Tool } from "./tools/tool.js";

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
  const google = googleIntegrationFor(services);
  if (role === "worker" || role === "all") {
    const extra = [...googleTools(google), createScheduleTool({ command: config.slack.command }) as Tool];
    const registry = createToolRegistry(services, registryOptions(config, extra));
    // Built now rather than at the first run: the sandbox check logs what limits runs here at start-up
    // (and /readyz reports it). A failure is logged there and the build is retried at the first run.
    void registry.tools().catch(() => {});
    const mcp = createMcpManager({
      database: services.database,
      sealer: services.sealer,
      logger: services.logger,
      now: services.now,
      connectTimeoutMs: config.mcp.connectTimeoutMs,
      callTimeoutMs: config.mcp.callTimeoutMs,
    });
    const worker = await startWorker(services, {
      tools: async (run) => [...(await registry.tools()), ...(await mcp.toolsFor(run.workspaceId))],
    });
    stops.push(async () => {
      await worker.close(config.worker.shutdownGraceMs);
      await mcp.close();
    });
  }
  if (role === "scheduler" || role === "all") {
    const scheduler = await startSchedulerRole(services);
    stops.push(() => scheduler.close());
  }
  if (role === "web" || role === "all") {
    const web = await startWeb(services, { routes: google ? googleOAuthRoutes(google) : [] });
    webUrl = web.url;
    stops.push(() => web.close());
  }
  if (role !== "web" && role !== "all" && config.metrics.port !== undefined) {
    // No web role here: this process's own metrics (steps, tools, queue waits) on a port of their own.
    const server = await startMetricsServer(services.metrics, {
      port: config.metrics.port,
      host: config.http.host,
      token: config.metrics.token,
    });
    stops.push(() => server.close());
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

if (isEntryPoint(import.meta.url)) {
  void main();
}
