import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { CustomRoute } from "@slack/bolt";
import type { Services } from "../services.js";
import { createSlackApp } from "../slack/app.js";

/**
 * The web role: the Slack edge plus health endpoints. GET /healthz says the process is alive;
 * GET /readyz says Postgres and Redis answer.
 */
export interface WebRole {
  port: number;
  url: string;
  close(): Promise<void>;
}

export async function startWeb(
  services: Services,
  options: { port?: number; routes?: CustomRoute[] } = {},
): Promise<WebRole> {
  const routes: CustomRoute[] = [
    { path: "/healthz", method: "GET", handler: (_request, response) => json(response, 200, { ok: true }) },
    {
      path: "/readyz",
      method: "GET",
      handler: (_request, response) => {
        void readiness(services).then((checks) => json(response, checks.ok ? 200 : 503, checks));
      },
    },
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
  return { ok: postgres === "ok" && redis === "ok", postgres, redis };
}

function json(response: import("node:http").ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}
