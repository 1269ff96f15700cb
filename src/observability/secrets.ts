import type { Config } from "../config/index.js";
import { configuredSecrets } from "../security/redact.js";

/**
 * The one list of secret values every redactor removes (logs, traces, export, replay fixtures, the run
 * viewer and every Slack post): the configuration's own secrets (`configuredSecrets`: tokens, keys,
 * client secrets), the passwords inside the database and Redis URLs, ADMIN_PASSWORD and METRICS_TOKEN,
 * plus extra values from the caller.
 */
export function secretsToRedact(config: Config, extra: Array<string | undefined> = []): string[] {
  const values = [
    ...configuredSecrets(config),
    passwordOf(config.databaseUrl),
    passwordOf(config.redisUrl),
    config.admin.password,
    config.metrics.token,
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
