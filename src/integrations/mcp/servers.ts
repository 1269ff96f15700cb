import { z } from "zod";
import type { Sealer } from "../../security/seal.js";
import type { Database } from "../../storage/database.js";
import { type McpSecrets, sealSecrets } from "./secrets.js";

/**
 * Configuring MCP servers for a workspace (for an admin surface or a setup script): one row per
 * server, secrets sealed. A tool the server marks read-only runs without approval only once an admin
 * has accepted it here.
 */
export const mcpServerInput = z.discriminatedUnion("transport", [
  z.object({
    workspaceId: z.string().min(1),
    name: z.string().regex(/^[A-Za-z0-9-]{1,24}$/, "letters, digits and - (it prefixes tool names)"),
    transport: z.literal("stdio"),
    command: z.string().min(1),
    args: z.array(z.string()).default([]),
    secrets: z.object({ env: z.record(z.string(), z.string()) }).optional(),
    enabled: z.boolean().default(true),
  }),
  z.object({
    workspaceId: z.string().min(1),
    name: z.string().regex(/^[A-Za-z0-9-]{1,24}$/, "letters, digits and - (it prefixes tool names)"),
    transport: z.literal("http"),
    url: z.url(),
    secrets: z.object({ headers: z.record(z.string(), z.string()) }).optional(),
    enabled: z.boolean().default(true),
  }),
]);

export type McpServerInput = z.input<typeof mcpServerInput>;

export async function saveMcpServer(database: Database, sealer: Sealer, input: McpServerInput) {
  const value = mcpServerInput.parse(input);
  const data = {
    transport: value.transport,
    command: value.transport === "stdio" ? value.command : null,
    args: value.transport === "stdio" ? value.args : [],
    url: value.transport === "http" ? value.url : null,
    secretsSealed: sealSecrets(sealer, value.secrets as McpSecrets | undefined),
    enabled: value.enabled,
  };
  return database.mcpServer.upsert({
    where: { workspaceId_name: { workspaceId: value.workspaceId, name: value.name } },
    update: data,
    create: { workspaceId: value.workspaceId, name: value.name, readOnlyTools: [], ...data },
  });
}

/** An admin accepts that these tools (marked read-only by the server) need no approval. */
export async function acceptReadOnlyTools(
  database: Database,
  server: { workspaceId: string; name: string },
  tools: string[],
): Promise<void> {
  await database.mcpServer.update({
    where: { workspaceId_name: server },
    data: { readOnlyTools: [...new Set(tools)].sort() },
  });
}
