import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Metrics } from "./metrics.js";

/**
 * GET /metrics in Prometheus' text format. With a token, scrapers must send
 * `Authorization: Bearer <token>`; without one the endpoint is open (keep it on a private network).
 */
export function metricsHandler(
  metrics: Pick<Metrics, "render" | "contentType">,
  options: { token?: string | undefined; onError?(error: unknown): void } = {},
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    if (options.token && !bearerMatches(request.headers.authorization, options.token)) {
      response.writeHead(401, { "content-type": "text/plain; charset=utf-8", "www-authenticate": "Bearer" });
      response.end("A bearer token is required.\n");
      return;
    }
    metrics.render().then(
      (text) => {
        response.writeHead(200, { "content-type": metrics.contentType, "cache-control": "no-store" });
        response.end(text);
      },
      (error: unknown) => {
        options.onError?.(error);
        response.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
        response.end("Metrics could not be collected.\n");
      },
    );
  };
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer\s+(.+)$/i.exec(header ?? "")?.[1]?.trim() ?? "");
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * /metrics on a port of its own, for processes without the web role (ROLE=worker or scheduler), whose
 * hook metrics (steps, tools, queue waits, Slack 429s) live in their own memory.
 */
export async function startMetricsServer(
  metrics: Pick<Metrics, "render" | "contentType">,
  options: { port: number; host?: string; token?: string | undefined },
): Promise<MetricsServer> {
  const handle = metricsHandler(metrics, { token: options.token });
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    if (request.method === "GET" && path === "/metrics") return handle(request, response);
    response.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
    response.end("Not found. Metrics are at /metrics.\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "0.0.0.0", () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${options.host === "0.0.0.0" || !options.host ? "127.0.0.1" : options.host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
