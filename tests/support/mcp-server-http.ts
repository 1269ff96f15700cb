import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { createTestMcpServer } from "./mcp-server.js";

/**
 * The test MCP server over Streamable HTTP (stateless: a server and transport per request), on
 * 127.0.0.1, requiring a bearer token. `crash` drops the listener and every connection; `restart`
 * brings it back on the same port.
 */
export interface HttpMcpServer {
  url: string;
  calls: Array<{ name: string; args: unknown }>;
  /** Requests refused for a missing or wrong token. */
  refused: number;
  crash(): void;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startHttpMcpServer(options: { name?: string; token: string }): Promise<HttpMcpServer> {
  const sockets = new Set<Socket>();
  const calls: HttpMcpServer["calls"] = [];
  let server: Server;
  let port = 0;
  const state = { refused: 0 };

  const listen = async () => {
    server = createServer((request, response) => {
      void handle(request, response).catch(() => {
        if (!response.headersSent) response.writeHead(500).end();
      });
    });
    server.on("connection", (socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  };

  const crash = () => {
    server.close();
    for (const socket of sockets) socket.destroy();
  };

  async function handle(request: IncomingMessage, response: import("node:http").ServerResponse) {
    if (request.headers.authorization !== `Bearer ${options.token}`) {
      state.refused += 1;
      response.writeHead(401, { "content-type": "application/json" }).end('{"error":"unauthorized"}');
      return;
    }
    if (request.method !== "POST") {
      response.writeHead(405, { allow: "POST" }).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    const mcp = createTestMcpServer({
      name: options.name ?? "http",
      crash,
      onCall: (name, args) => calls.push({ name, args }),
    });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    response.on("close", () => {
      void transport.close();
      void mcp.close();
    });
    await mcp.connect(transport);
    await transport.handleRequest(request, response, body);
  }

  await listen();
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    calls,
    get refused() {
      return state.refused;
    },
    crash,
    restart: listen,
    close: async () => {
      crash();
    },
  };
}
