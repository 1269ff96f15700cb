import { fileURLToPath } from "node:url";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";

/**
 * A real MCP server (the SDK's low-level Server, so tool schemas are plain JSON Schema) for tests, run
 * over stdio (mcp-server-stdio.ts) or Streamable HTTP (mcp-server-http.ts). Its tools cover what the
 * adapter must handle: read-only hints, writes, a schema zod cannot express, error results, a crash
 * and a hang.
 */
export interface TestMcpServerOptions {
  name: string;
  /** What the `crash` tool does (exit the process, or drop the HTTP server). */
  crash(): void;
  /** Environment the server sees (the stdio child's; a secret arrives here). */
  environment?: Record<string, string | undefined>;
  /** Records every tool call, for assertions. */
  onCall?(name: string, args: unknown): void;
}

const tools = [
  {
    name: "echo",
    description: "Repeats the text",
    inputSchema: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
    annotations: { readOnlyHint: true },
  },
  {
    name: "add",
    description: "Adds two numbers",
    inputSchema: {
      type: "object",
      properties: { a: { type: "number" }, b: { type: "number" } },
      required: ["a", "b"],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, title: "Add numbers" },
  },
  {
    name: "create_ticket",
    description: "Creates a ticket",
    inputSchema: {
      type: "object",
      properties: { title: { type: "string", minLength: 3 }, priority: { enum: ["low", "high"] } },
      required: ["title"],
    },
    annotations: { readOnlyHint: false, destructiveHint: false },
  },
  {
    name: "conditional",
    description: "Needs reason when urgent (JSON Schema if/then)",
    inputSchema: {
      type: "object",
      properties: { urgent: { type: "boolean" }, reason: { type: "string" } },
      if: { properties: { urgent: { const: true } }, required: ["urgent"] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, on purpose.
      then: { required: ["reason"] },
    },
  },
  {
    name: "secret",
    description: "Tells whether the secret arrived",
    inputSchema: { type: "object" },
    annotations: { readOnlyHint: true },
  },
  { name: "fail", description: "Always reports an error", inputSchema: { type: "object" } },
  {
    name: "crash",
    description: "Dies",
    inputSchema: { type: "object" },
    annotations: { readOnlyHint: true },
  },
  {
    name: "hang",
    description: "Never answers",
    inputSchema: { type: "object" },
    annotations: { readOnlyHint: true },
  },
];

export function createTestMcpServer(options: TestMcpServerOptions): Server {
  const server = new Server({ name: options.name, version: "1.0.0" }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const args = (request.params.arguments ?? {}) as Record<string, unknown>;
    options.onCall?.(request.params.name, args);
    const text = (value: string) => ({ content: [{ type: "text" as const, text: value }] });
    switch (request.params.name) {
      case "echo":
        return text(`${options.name} says: ${String(args.text)}`);
      case "add":
        return {
          ...text(String(Number(args.a) + Number(args.b))),
          structuredContent: { sum: Number(args.a) + Number(args.b) },
        };
      case "create_ticket":
        return text(`Created ticket "${String(args.title)}" (${String(args.priority ?? "low")}) as T-1`);
      case "conditional":
        return text(`got ${JSON.stringify(args)}`);
      case "secret":
        return text(options.environment?.TEST_MCP_SECRET === "s3cret" ? "secret received" : "no secret");
      case "fail":
        return { content: [{ type: "text" as const, text: "the widget is broken" }], isError: true };
      case "crash":
        options.crash();
        return new Promise<never>(() => undefined);
      case "hang":
        return new Promise<never>(() => undefined);
      default:
        return {
          content: [{ type: "text" as const, text: `unknown tool ${request.params.name}` }],
          isError: true,
        };
    }
  });
  return server;
}

/** How a test starts the stdio server: node with tsx; the first argument names it. */
export function stdioServerCommand(name: string): { command: string; args: string[] } {
  return {
    command: process.execPath,
    args: ["--import", "tsx", fileURLToPath(new URL("./mcp-server-stdio.ts", import.meta.url)), name],
  };
}
