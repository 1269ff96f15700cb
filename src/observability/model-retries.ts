import type { RetryInfo } from "../harness/model/retry.js";

/**
 * Model retries, recorded per model call so the run's trace shows them: the harness gives each call a
 * log (`createRetryLog`), passes `log.record` as the request's retry hook, and stores `log.list()` as
 * `retries` in the model step's data (or in a `model_error` note when the call failed for good).
 */
export interface RecordedRetry {
  /** The model that failed (the primary or the fallback). */
  model: string;
  /** 1-based number of the attempt that failed. */
  attempt: number;
  /** HTTP status when the provider answered (429, 503...), null for timeouts and dropped connections. */
  status: number | null;
  /** How long the model layer waited before the next attempt. */
  delayMs: number;
  error: string;
  /** When the attempt failed (ISO 8601). */
  at: string;
}

export interface RetryLog {
  record(info: RetryInfo): void;
  list(): RecordedRetry[];
}

export function createRetryLog(now: () => number = Date.now): RetryLog {
  const retries: RecordedRetry[] = [];
  return {
    record(info) {
      retries.push({
        model: info.model,
        attempt: info.attempt,
        status: info.status ?? null,
        delayMs: info.delayMs,
        error: info.error.message.slice(0, 500),
        at: new Date(now()).toISOString(),
      });
    },
    list: () => [...retries],
  };
}

/** The retries stored in a step's data, tolerating steps written before retries were recorded. */
export function retriesOf(data: unknown): RecordedRetry[] {
  if (!data || typeof data !== "object") return [];
  const value = (data as { retries?: unknown }).retries;
  if (!Array.isArray(value)) return [];
  return value.filter(
    (item): item is RecordedRetry =>
      !!item && typeof item === "object" && typeof (item as RecordedRetry).attempt === "number",
  );
}
