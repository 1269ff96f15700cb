import type { Config } from "../config/index.js";
import { configuredSecrets } from "../security/redact.js";

/**
 * Every secret value a redactor should remove, for logs and the run viewer: the configuration's own
 * secrets (`configuredSecrets`: tokens, keys, client secrets) plus the passwords inside the database
 * and Redis URLs, and extra values from the caller (e.g. the admin password).
 */
export function secretsToRedact(config: Config, extra: Array<string | undefined> = []): string[] {
  const values = [
    ...configuredSecrets(config),
    passwordOf(config.databaseUrl),
    passwordOf(config.redisUrl),
    ...extra,
  ];
  return [...new Set(values.filter((value): value is string => typeof value === "string" && value !== ""))];
}

function passwordOf(url: string): string | undefined {
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}
