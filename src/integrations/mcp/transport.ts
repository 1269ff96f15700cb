import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { Logger } from "../../logger.js";
import type { McpSecrets } from "./secrets.js";

/**
 * The SDK transport for a configured server: a child process speaking over stdio (its stderr goes to
 * our log, not our stdout), or Streamable HTTP with the sealed headers.
 */
export interface McpServerRecord {
  id: string;
  workspaceId: string;
  name: string;
  transport: string;
  command: string | null;
  args: string[];
  url: string | null;
  secretsSealed: string | null;
  readOnlyTools: string[];
  updatedAt: Date;
}

export function createTransport(
  server: McpServerRecord,
  secrets: McpSecrets,
  logger: Logger,
  baseEnvironment: Record<string, string> = getDefaultEnvironment(),
): Transport {
  if (server.transport === "stdio") {
    if (!server.command) throw new Error(`MCP server ${server.name} has no command`);
    const transport = new StdioClientTransport({
      command: server.command,
      args: server.args,
      env: { ...baseEnvironment, ...secrets.env },
      stderr: "pipe",
    });
    transport.stderr?.on("data", (chunk: Buffer) => {
      logger.debug(
        { server: server.name, stderr: chunk.toString("utf8").slice(0, 2000) },
        "mcp server stderr",
      );
    });
    return transport;
  }
  if (server.transport === "http") {
    if (!server.url) throw new Error(`MCP server ${server.name} has no url`);
    return new StreamableHTTPClientTransport(new URL(server.url), {
      requestInit: { headers: secrets.headers ?? {} },
    });
  }
  throw new Error(`MCP server ${server.name} has an unknown transport "${server.transport}"`);
}
