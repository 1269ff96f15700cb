import { errorMessage } from "../../errors.js";
import type { Logger } from "../../logger.js";
import type { Sealer } from "../../security/seal.js";
import type { Database } from "../../storage/database.js";
import type { Tool } from "../../tools/tool.js";
import { type McpConnection, openConnection } from "./connection.js";
import { unsealSecrets } from "./secrets.js";
import { adaptMcpTool, type ConnectionSource } from "./tool-adapter.js";
import type { McpServerRecord } from "./transport.js";

/**
 * MCP connections per workspace, kept open across runs in one process. `toolsFor(workspaceId)` gives
 * the tools of that workspace's enabled servers; a server that cannot be reached is left out (and not
 * retried before `retryAfterMs`), the others still work. A changed server row reconnects.
 */
export interface McpManager {
  toolsFor(workspaceId: string): Promise<Tool[]>;
  close(): Promise<void>;
}

export interface McpManagerOptions {
  database: Database;
  sealer: Sealer;
  logger: Logger;
  now(): number;
  connectTimeoutMs?: number;
  callTimeoutMs?: number;
  /** How long to wait before trying a server that failed to connect again. */
  retryAfterMs?: number;
  /** Environment a stdio server starts with (default: the SDK's safe subset of ours). */
  baseEnvironment?: Record<string, string>;
}

interface Entry {
  version: string;
  connection?: McpConnection;
  opening?: Promise<McpConnection>;
  failedAt?: number;
  problem?: string;
}

export function createMcpManager(options: McpManagerOptions): McpManager {
  const connectTimeoutMs = options.connectTimeoutMs ?? 15_000;
  const callTimeoutMs = options.callTimeoutMs ?? 60_000;
  const retryAfterMs = options.retryAfterMs ?? 30_000;
  const entries = new Map<string, Entry>();
  const logger = options.logger.child({ integration: "mcp" });
  const versionOf = (server: McpServerRecord) => `${server.updatedAt.getTime()}`;

  const source: ConnectionSource = {
    async connection(server) {
      let entry = entries.get(server.id);
      if (entry && entry.version !== versionOf(server)) {
        await entry.connection?.close();
        entry = undefined;
      }
      if (!entry) {
        entry = { version: versionOf(server) };
        entries.set(server.id, entry);
      }
      if (entry.connection && !entry.connection.closed) return { connection: entry.connection };
      if (entry.failedAt !== undefined && options.now() - entry.failedAt < retryAfterMs) {
        return { problem: entry.problem };
      }
      const current = entry;
      current.opening ??= openConnection(server, unsealSecrets(options.sealer, server.secretsSealed), {
        logger,
        connectTimeoutMs,
        baseEnvironment: options.baseEnvironment,
      });
      try {
        current.connection = await current.opening;
        current.failedAt = undefined;
        current.problem = undefined;
        return { connection: current.connection };
      } catch (error) {
        current.failedAt = options.now();
        current.problem = errorMessage(error);
        logger.warn({ server: server.name, error: current.problem }, "mcp server connection failed");
        return { problem: current.problem };
      } finally {
        current.opening = undefined;
      }
    },
    async discard(server, connection) {
      const entry = entries.get(server.id);
      if (entry?.connection === connection) entry.connection = undefined;
      await connection.close();
    },
  };

  return {
    async toolsFor(workspaceId) {
      const servers = await options.database.mcpServer.findMany({
        where: { workspaceId, enabled: true },
        orderBy: { name: "asc" },
      });
      const connected = await Promise.all(
        servers.map(async (server) => ({ server, ...(await source.connection(server)) })),
      );
      return connected.flatMap(({ server, connection }) =>
        (connection?.tools ?? []).map(
          (tool) => adaptMcpTool(server, tool, source, { callTimeoutMs }) as unknown as Tool,
        ),
      );
    },
    async close() {
      const open = [...entries.values()];
      entries.clear();
      await Promise.all(open.map(async (entry) => entry.connection?.close()));
    },
  };
}
