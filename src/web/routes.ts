import type { IncomingMessage, ServerResponse } from "node:http";
import type { CustomRoute } from "@slack/bolt";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { errorMessage } from "../errors.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../observability/metrics.js";
import { metricsHandler } from "../observability/metrics-endpoint.js";
import { createRedactor, type Redactor } from "../security/redact.js";
import type { SlackClients } from "../slack/clients.js";
import type { Database } from "../storage/database.js";
import { adminHandlers } from "./admin-routes.js";
import { createAdminSessions } from "./admin-session.js";
import { viewerScript } from "./assets/viewer-script.js";
import { viewerStyle } from "./assets/viewer-style.js";
import { redirect, sendHtml } from "./http.js";
import { createLoginAudit } from "./login-audit.js";
import { createLoginThrottle, type ThrottleLimits } from "./login-throttle.js";
import { messagePage } from "./message-pages.js";
import { queueDashboard, queueDashboardPath } from "./queue-dashboard.js";
import { runRouteHandlers } from "./run-routes.js";
import { createSlackNames } from "./slack-names.js";

/**
 * The web role's operations pages, as Bolt custom routes: the run viewer (/runs/:id by signed link or
 * admin session, /runs for admins), the admin login, the BullMQ dashboard (/admin/queues, admins),
 * Prometheus /metrics, and the pages' static assets.
 */
export interface OperationsServices {
  database: Database;
  redis: Redis;
  queues: { runs: Queue; schedules: Queue };
  keys: { links: Buffer };
  config: {
    http: { publicUrl: string };
    queuePrefix: string;
    admin?: { addressHeader?: string | undefined };
  };
  logger: Logger;
  now(): number;
  /** For people's and channels' names on the run pages. */
  slack?: SlackClients;
}

export interface OperationsOptions {
  metrics: Pick<Metrics, "render" | "contentType">;
  /** ADMIN_PASSWORD: without it the run list and the queue dashboard are off (signed run links still work). */
  adminPassword?: string | undefined;
  /** METRICS_TOKEN: when set, /metrics wants `Authorization: Bearer <token>`. */
  metricsToken?: string | undefined;
  /** Removes secrets from everything the pages show: the process's one redactor (`services.redact`). */
  redact: Redactor;
  /** The queue dashboard without retry/clean/remove buttons. */
  dashboardReadOnly?: boolean;
  /** Admin login rate limits (defaults in login-throttle.ts). */
  loginLimits?: ThrottleLimits;
}

const favicon =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="#1d4ed8"/></svg>';

type Handler = (request: IncomingMessage, response: ServerResponse) => Promise<void> | void;

export function operationsRoutes(services: OperationsServices, options: OperationsOptions): CustomRoute[] {
  const { logger } = services;
  const prefix = services.config.queuePrefix;
  const sessions = createAdminSessions({
    redis: services.redis,
    prefix,
    key: services.keys.links,
    password: options.adminPassword,
    secure: services.config.http.publicUrl.startsWith("https://"),
  });
  // The process's redactor, plus an admin password given here rather than in the configuration.
  const passwordOnly = createRedactor([options.adminPassword]);
  const redact: Redactor = (text) => passwordOnly(options.redact(text));
  const names = services.slack
    ? createSlackNames({ slack: services.slack, logger, now: services.now })
    : undefined;
  const runs = runRouteHandlers({ ...services, sessions, redact, ...(names ? { names } : {}) });
  const admin = adminHandlers({
    sessions,
    throttle: createLoginThrottle({
      redis: services.redis,
      prefix,
      now: services.now,
      ...(options.loginLimits ? { limits: options.loginLimits } : {}),
    }),
    audit: createLoginAudit(services.database, logger),
    addressHeader: services.config.admin?.addressHeader,
  });
  const dashboard = queueDashboard([services.queues.runs, services.queues.schedules], {
    readOnly: options.dashboardReadOnly,
  });

  const safely =
    (handler: Handler) =>
    (request: IncomingMessage, response: ServerResponse): void => {
      Promise.resolve()
        .then(() => handler(request, response))
        .catch((error: unknown) => {
          logger.error(
            { error: errorMessage(error), path: request.url?.split("?")[0] },
            "operations page failed",
          );
          if (!response.headersSent)
            sendHtml(response, 500, messagePage("Something went wrong", "Please try again."));
          else response.end();
        });
    };
  const asset =
    (body: string, contentType: string) => (_request: IncomingMessage, response: ServerResponse) => {
      response.writeHead(200, {
        "content-type": `${contentType}; charset=utf-8`,
        "cache-control": "public, max-age=300",
        "x-content-type-options": "nosniff",
      });
      response.end(body);
    };

  return [
    { path: "/assets/viewer.js", method: "GET", handler: asset(viewerScript, "text/javascript") },
    { path: "/assets/viewer.css", method: "GET", handler: asset(viewerStyle, "text/css") },
    { path: "/assets/favicon.svg", method: "GET", handler: asset(favicon, "image/svg+xml") },
    {
      path: "/metrics",
      method: "GET",
      handler: metricsHandler(options.metrics, {
        token: options.metricsToken,
        onError: (error) => logger.error({ error: errorMessage(error) }, "metrics collection failed"),
      }),
    },
    { path: "/admin/login", method: "GET", handler: safely(admin.form) },
    { path: "/admin/login", method: "POST", handler: safely(admin.login) },
    { path: "/admin/logout", method: "POST", handler: safely(admin.logout) },
    { path: "/runs", method: "GET", handler: safely(runs.list) },
    { path: "/runs/:id", method: "GET", handler: safely(runs.page) },
    { path: "/runs/:id/tool-calls/:callId", method: "GET", handler: safely(runs.toolCall) },
    { path: "/runs/:id/artifacts/:handle", method: "GET", handler: safely(runs.artifact) },
    {
      path: `${queueDashboardPath}{/*path}`,
      method: ["GET", "POST", "PUT", "PATCH", "DELETE"],
      handler: safely(async (request, response) => {
        if (await sessions.isAdmin(request)) return dashboard(request, response);
        if (request.method === "GET") {
          redirect(response, `/admin/login?next=${encodeURIComponent(queueDashboardPath)}`);
          return;
        }
        response.writeHead(401, { "content-type": "text/plain; charset=utf-8" });
        response.end("Sign in as an admin first.\n");
      }),
    },
  ];
}
