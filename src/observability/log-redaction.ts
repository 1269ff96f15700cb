import type { DestinationStream } from "pino";
import type { Redactor } from "../security/redact.js";

/**
 * Two layers keep secrets out of log lines. Fields whose *name* says they hold a secret (token,
 * password, apiKey, authorization, cookie...) are censored at any depth before the line is written;
 * then the finished line passes through the redactor, which removes the configured secret values and
 * anything shaped like a known token wherever it appears: messages, error stacks, nested fields.
 */
export const censored = "[redacted]";

const sensitiveName =
  /^(?:token|.*[_-]?token|password|passphrase|secret|.*[_-]?secret|api[_-]?key|authorization|cookie|set-cookie|encryption[_-]?key|private[_-]?key|credentials?)$/i;
const harmlessName = /^(?:tokens|input[_-]?tokens|output[_-]?tokens|cached[_-]?tokens|max[_-]?tokens)$/i;

export function isSensitiveName(name: string): boolean {
  return sensitiveName.test(name) && !harmlessName.test(name);
}

/** A copy of plain objects and arrays with sensitive fields censored; other values are kept as they are. */
export function censorFields<T>(value: T, depth = 0): T {
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => censorFields(item, depth + 1)) as T;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] =
      isSensitiveName(key) && item !== undefined && item !== null ? censored : censorFields(item, depth + 1);
  }
  return copy as T;
}

/** Passes each finished log line through `redact` before it reaches `target`. */
export function redactingStream(target: DestinationStream, redact: Redactor): DestinationStream {
  const stream = target as DestinationStream & { flush?(callback?: () => void): void };
  return {
    write(line: string) {
      return stream.write(redact(line));
    },
    ...(stream.flush ? { flush: (callback?: () => void) => stream.flush?.(callback) } : {}),
  } as DestinationStream;
}

/** The forms a secret can take inside a JSON log line (escaped characters included). */
export function jsonForms(secrets: Array<string | undefined>): string[] {
  const forms: string[] = [];
  for (const secret of secrets) {
    if (!secret) continue;
    forms.push(secret);
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) forms.push(escaped);
  }
  return forms;
}
