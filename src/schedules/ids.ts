import { createHash } from "node:crypto";

/** People see and type the first 8 characters of a schedule's id. */
export const SHORT_ID_LENGTH = 8;

export function shortId(id: string): string {
  return id.slice(0, SHORT_ID_LENGTH);
}

/** What a person may type as an id: at least 4 hex characters (and dashes), at most a whole uuid. */
export function isIdPrefix(text: string): boolean {
  return /^[0-9a-f][0-9a-f-]{3,35}$/i.test(text);
}

/**
 * A uuid (RFC 9562 version 8, "custom") derived from a key: the same key always gives the same id,
 * so creating a schedule from a retried tool call creates it once.
 */
export function uuidFromKey(key: string): string {
  const hex = createHash("sha256").update(key).digest("hex").slice(0, 32).split("");
  hex[12] = "8";
  hex[16] = ((Number.parseInt(hex[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
  const text = hex.join("");
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
}

/** The job-scheduler id in BullMQ for a schedule. */
export function jobSchedulerId(scheduleId: string): string {
  return `schedule-${scheduleId}`;
}
