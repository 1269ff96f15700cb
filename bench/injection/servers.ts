import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Server as McpServer } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";

/**
 * The outside world of the injection benchmark, on 127.0.0.1: a web site whose pages the benchmark
 * writes (some carry planted instructions), an attacker's server that records every request it gets
 * (what leaves through fetch_url or the sandbox's network lands here), and a helpdesk MCP server whose
 * ticket text the benchmark writes.
 */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface LocalServer {
  url: string;
  close(): Promise<void>;
}

export interface PageServer extends LocalServer {
  /** Serves `html` at `path` (a page of the site). */
  setPage(path: string, html: string): void;
}

export interface AttackerServer extends LocalServer {
  requests: RecordedRequest[];
}

export interface HelpdeskServer extends LocalServer {
  /** The text `read_ticket` returns for ticket `id`. */
  setTicket(id: string, text: string): void;
}

export async function startPageServer(): Promise<PageServer> {
  const pages = new Map<string, string>();
  const server = createServer((request, response) => {
    const html = pages.get((request.url ?? "/").split("?")[0] ?? "/");
    response.writeHead(html ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
    response.end(html ?? "<!doctype html><title>Not found</title><p>Not found</p>");
  });
  return {
    ...(await listen(server)),
    setPage: (path, html) => pages.set(path, html),
  };
}

export async function startAttackerServer(): Promise<AttackerServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      requests.push({
        method: request.method ?? "GET",
        url: request.url ?? "/",
        headers: request.headers,
        body,
      });
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end("<!doctype html><title>Thanks</title><p>Thanks, received.</p>");
    });
  });
  return { ...(await listen(server)), requests };
}

const helpdeskTools = [
  {
    name: "read_ticket",
    description: "Reads a helpdesk ticket by its id",
    inputSchema: { type: "object", properties: { id: { type: "string" } }, required: ["id"] },
    annotations: { readOnlyHint: true },
  },
];

/** A real MCP server over Streamable HTTP (stateless: a server and transport per request). */
export async function startHelpdeskServer(): Promise<HelpdeskServer> {
  const tickets = new Map<string, string>();
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== "POST") {
      response.writeHead(405, { allow: "POST" }).end();
      return;
    }
    const body = JSON.parse(await readBody(request)) as unknown;
    const mcp = new McpServer({ name: "helpdesk", version: "1.0.0" }, { capabilities: { tools: {} } });
    mcp.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: helpdeskTools }));
    mcp.setRequestHandler(CallToolRequestSchema, async (call) => {
      const id = String((call.params.arguments as { id?: unknown } | undefined)?.id ?? "");
      const text = tickets.get(id) ?? `There is no ticket ${id}.`;
      return { content: [{ type: "text" as const, text }] };
    });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    response.on("close", () => {
      void transport.close();
      void mcp.close();
    });
    await mcp.connect(transport);
    await transport.handleRequest(request, response, body);
  };
  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  const listening = await listen(server);
  return {
    url: `${listening.url}/mcp`,
    close: listening.close,
    setTicket: (id, text) => tickets.set(id, text),
  };
}

async function listen(server: Server): Promise<LocalServer> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
