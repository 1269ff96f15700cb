import { pino } from "pino";

export type Logger = pino.Logger;

/** Paths whose values never reach a log line. */
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

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, redact: { paths: redactedPaths, censor: "[redacted]" }, base: undefined },
    destination,
  );
}
