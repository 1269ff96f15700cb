import type { Config } from "../config/index.js";
import { configuredSecrets, createRedactor, type Redactor } from "../security/redact.js";
import { jsonForms } from "./log-redaction.js";

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

/**
 * The process's redactor, built once from the configuration (src/services.ts): the one list above in
 * raw and JSON-escaped form (a secret with a quote or backslash appears escaped inside blocks and log
 * lines), plus the token shapes in src/security/redact.ts.
 */
export function configuredRedactor(config: Config): Redactor {
  return createRedactor(jsonForms(secretsToRedact(config)));
}
