import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { CustomRoute } from "@slack/bolt";
import { errorMessage } from "../errors.js";
import { createMetrics, type Metrics } from "../observability/metrics.js";
import { registerStateGauges } from "../observability/state-gauges.js";
import type { Services } from "../services.js";
import { createSlackApp } from "../slack/app.js";
import { sandboxStatus } from "../tools/computer/sandbox-status.js";
import type { ThrottleLimits } from "../web/login-throttle.js";
import { operationsRoutes } from "../web/routes.js";

/**
 * The web role: the Slack edge plus health endpoints. GET /healthz says the process is alive;
 * GET /readyz says Postgres and Redis answer, and what limits run_code's sandbox here. The operations pages (src/web/routes.ts) are mounted
 * too: the run viewer, the admin login, the queue dashboard and /metrics.
 */
export interface WebOptions {
  port?: number;
  routes?: CustomRoute[];
  /** The process's metrics, shared with the hooks that record them; a registry of its own when left out. */
  metrics?: Metrics;
  /** ADMIN_PASSWORD: turns on the run list and the queue dashboard. */
  adminPassword?: string | undefined;
  /** METRICS_TOKEN: /metrics then wants `Authorization: Bearer <token>`. */
  metricsToken?: string | undefined;
  /** Admin login rate limits, when not the defaults (tests). */
  loginLimits?: ThrottleLimits;
}
export interface WebRole {
  port: number;
  url: string;
  close(): Promise<void>;
}

export async function startWeb(services: Services, options: WebOptions = {}): Promise<WebRole> {
  const settings = wiredSettings(services);
  const metrics = options.metrics ?? settings.metrics ?? createMetrics();
  registerStateGauges(metrics, {
    database: services.database,
    queues: [services.queues.runs, services.queues.schedules],
    now: services.now,
    onError: (source, error) =>
      services.logger.warn({ source, error: errorMessage(error) }, "metrics: state could not be read"),
  });
  const routes: CustomRoute[] = [
    { path: "/healthz", method: "GET", handler: (_request, response) => json(response, 200, { ok: true }) },
    {
      path: "/readyz",
      method: "GET",
      handler: (_request, response) => {
        void readiness(services).then((checks) => json(response, checks.ok ? 200 : 503, checks));
      },
    },
    ...operationsRoutes(services, {
      metrics,
      adminPassword: options.adminPassword ?? settings.adminPassword,
      metricsToken: options.metricsToken ?? settings.metricsToken,
      redact: services.redact,
      ...(options.loginLimits ? { loginLimits: options.loginLimits } : {}),
    }),
    ...(options.routes ?? []),
  ];
  const app = createSlackApp(services, routes);
  const started = (await app.start({
    port: options.port ?? services.config.http.port,
    host: services.config.http.host,
  })) as unknown;
  const server = started as Server | undefined;
  const address = server?.address?.() as AddressInfo | null | undefined;
  const port = address?.port ?? options.port ?? services.config.http.port;
  services.logger.info({ port }, "web role listening");
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    async close() {
      await app.stop();
    },
  };
}

export async function readiness(services: Services) {
  const [postgres, redis] = await Promise.all([
    services.database.$queryRaw`SELECT 1`.then(
      () => "ok",
      (error: Error) => error.message,
    ),
    services.redis.ping().then(
      () => "ok",
      (error: Error) => error.message,
    ),
  ]);
  // Not part of `ok`: a process without run_code is still ready; this says what limits runs here.
  return { ok: postgres === "ok" && redis === "ok", postgres, redis, sandbox: sandboxStatus() };
}

function json(response: import("node:http").ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

/**
 * What the composition root provides once it carries them: the process's metrics (`services.metrics`),
 * ADMIN_PASSWORD (`config.admin.password`) and METRICS_TOKEN (`config.metrics.token`). Read
 * structurally so the web role works with or without them.
 */
function wiredSettings(services: Services): {
  metrics?: Metrics;
  adminPassword?: string;
  metricsToken?: string;
} {
  const wired = services as Services & {
    metrics?: Metrics;
    config: { admin?: { password?: string }; metrics?: { token?: string } };
  };
  return {
    metrics: wired.metrics,
    adminPassword: wired.config.admin?.password,
    metricsToken: wired.config.metrics?.token,
  };
}
