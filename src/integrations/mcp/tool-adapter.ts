import type { Tool as McpTool } from "@modelcontextprotocol/sdk/types.js";
import { errorMessage } from "../../errors.js";
import { defineTool, type Tool } from "../../tools/tool.js";
import type { McpConnection } from "./connection.js";
import { mcpToolName } from "./names.js";
import { resultText } from "./result-text.js";
import { inputSchemaOf } from "./schema.js";
import type { McpServerRecord } from "./transport.js";

/**
 * An MCP server's tool as one of ours. It needs approval (risk "write") unless the server marks it
 * read-only AND an admin accepted that (McpServer.readOnlyTools). Failures stay inside the call: a
 * crashed, hung or erroring server gives the model an error result and the run goes on; the
 * connection is reopened on a later call.
 */
export interface ConnectionSource {
  /** A live connection to the server, opening one if needed; undefined with a reason when it cannot. */
  connection(server: McpServerRecord): Promise<{ connection?: McpConnection; problem?: string }>;
  /** Drops a connection that failed, so the next call reconnects. */
  discard(server: McpServerRecord, connection: McpConnection): Promise<void>;
}

export function adaptMcpTool(
  server: McpServerRecord,
  tool: McpTool,
  source: ConnectionSource,
  options: { callTimeoutMs: number },
): Tool<Record<string, unknown>> {
  const readOnly = tool.annotations?.readOnlyHint === true && server.readOnlyTools.includes(tool.name);
  const title = tool.annotations?.title ?? tool.title;
  return defineTool<Record<string, unknown>>({
    name: mcpToolName(server.name, tool.name),
    description: `${tool.description ?? title ?? tool.name} (tool "${tool.name}" of the ${server.name} MCP server)`,
    input: inputSchemaOf(tool.inputSchema as Record<string, unknown>),
    risk: readOnly ? "read" : "write",
    // Our own deadline fires first, so a hung server becomes an error result rather than a timeout.
    timeoutMs: options.callTimeoutMs + 5000,
    outputLimit: 20_000,
    summarize: (input) => `${server.name}: ${title ?? tool.name} ${JSON.stringify(input).slice(0, 300)}`,
    async execute(input, context) {
      const { connection, problem } = await source.connection(server);
      if (!connection) {
        return {
          content: `The ${server.name} MCP server is unavailable right now (${problem ?? "not connected"}). Carry on without it, or try again later.`,
          isError: true,
        };
      }
      try {
        const result = await connection.client.callTool({ name: tool.name, arguments: input }, undefined, {
          signal: context.signal,
          timeout: options.callTimeoutMs,
        });
        return {
          content: resultText(result as Parameters<typeof resultText>[0]),
          isError: result.isError === true,
          untrusted: true,
        };
      } catch (error) {
        if (context.signal.aborted) throw error;
        // Closed, timed out or confused: start afresh next time.
        await source.discard(server, connection);
        return {
          content: `The ${server.name} MCP server failed on ${tool.name}: ${errorMessage(error)}. It will be reconnected on a later call; carry on without it if you can.`,
          isError: true,
        };
      }
    },
  });
}
