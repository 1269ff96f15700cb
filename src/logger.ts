import { pino } from "pino";
import { censorFields, jsonForms, redactingStream } from "./observability/log-redaction.js";
import { createRedactor } from "./security/redact.js";

export type Logger = pino.Logger;

/** Paths whose values never reach a log line (fields named like secrets are censored at any depth too). */
export const redactedPaths = [
  "token",
  "botToken",
  "apiKey",
  "secret",
  "password",
  "authorization",
  "*.token",
  "*.botToken",
  "*.apiKey",
  "*.secret",
  "*.password",
  "*.authorization",
  "headers.authorization",
  "config.slack.botToken",
  "config.encryptionKey",
];

export interface LoggerOptions {
  /**
   * Secret values removed from every line wherever they appear (messages, stacks, any field), e.g.
   * `secretsToRedact(config)` (src/observability/secrets.ts). Well-known token shapes (Slack, OpenAI,
   * Anthropic, Google, bearer headers, private keys) are removed even when not listed.
   */
  secrets?: Array<string | undefined>;
}

/**
 * Structured JSON logs (one object per line). Runs log through child loggers that carry their ids
 * (`logger.child({ workspaceId, taskId, runId })`, then `{ step, tool }` per tool call).
 */
export function createLogger(
  level: string,
  destination?: pino.DestinationStream,
  options: LoggerOptions = {},
): Logger {
  const redact = createRedactor(jsonForms(options.secrets ?? []));
  return pino(
    {
      level,
      redact: { paths: redactedPaths, censor: "[redacted]" },
      base: undefined,
      formatters: {
        log: (object) => censorFields(object),
        bindings: (bindings) => censorFields(bindings),
      },
    },
    redactingStream(destination ?? pino.destination(1), redact),
  );
}
