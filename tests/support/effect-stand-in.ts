import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in for an external service that side-effecting tools call: it counts every effect by its
 * idempotency key, so a test can prove each effect happened exactly once.
 */
export interface EffectStandIn {
  url: string;
  counts: Map<string, number>;
  close(): Promise<void>;
}

export async function startEffectStandIn(): Promise<EffectStandIn> {
  const counts = new Map<string, number>();
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://stand-in");
    const key = decodeURIComponent(url.pathname.replace(/^\/effects\//, ""));
    if (request.method === "POST") {
      counts.set(key, (counts.get(key) ?? 0) + 1);
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true, key }));
      return;
    }
    const found = counts.has(key);
    response
      .writeHead(found ? 200 : 404, { "content-type": "application/json" })
      .end(JSON.stringify({ found }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
