import { z } from "zod";
import type { Sealer } from "../../security/seal.js";

/**
 * What an MCP server needs that must not sit in the database in clear: environment variables for a
 * stdio server (API keys), HTTP headers for a remote one (Authorization). Stored sealed on the row.
 */
export const mcpSecretsSchema = z.object({
  env: z.record(z.string(), z.string()).optional(),
  headers: z.record(z.string(), z.string()).optional(),
});

export type McpSecrets = z.infer<typeof mcpSecretsSchema>;

export function sealSecrets(sealer: Sealer, secrets: McpSecrets | undefined): string | null {
  if (!secrets || (!secrets.env && !secrets.headers)) return null;
  return sealer.seal(JSON.stringify(mcpSecretsSchema.parse(secrets)));
}

export function unsealSecrets(sealer: Sealer, sealed: string | null): McpSecrets {
  if (!sealed) return {};
  return mcpSecretsSchema.parse(JSON.parse(sealer.unseal(sealed)));
}
