import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Tool as McpTool } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "../../logger.js";
import type { McpSecrets } from "./secrets.js";
import { createTransport, type McpServerRecord } from "./transport.js";

/**
 * One live connection to one MCP server: the SDK client, initialised within a deadline, and the
 * server's tools (every page). It marks itself closed when the transport closes (the process died,
 * the HTTP session ended), so the manager opens a new one next time.
 */
export interface McpConnection {
  client: Client;
  tools: McpTool[];
  readonly closed: boolean;
  close(): Promise<void>;
}

export async function openConnection(
  server: McpServerRecord,
  secrets: McpSecrets,
  options: { logger: Logger; connectTimeoutMs: number; baseEnvironment?: Record<string, string> },
): Promise<McpConnection> {
  const client = new Client({ name: "coworker", version: "0.1.0" }, { capabilities: {} });
  let closed = false;
  client.onclose = () => {
    closed = true;
  };
  client.onerror = (error) => {
    options.logger.debug({ server: server.name, error: error.message }, "mcp transport error");
  };
  const transport = createTransport(server, secrets, options.logger, options.baseEnvironment);
  try {
    await client.connect(transport, { timeout: options.connectTimeoutMs });
    const tools: McpTool[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : undefined, {
        timeout: options.connectTimeoutMs,
      });
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor);
    return {
      client,
      tools,
      get closed() {
        return closed;
      },
      async close() {
        closed = true;
        await client.close().catch(() => undefined);
      },
    };
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
}
