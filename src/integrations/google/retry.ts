import { classifyGoogleError } from "./api-errors.js";

/**
 * Google's advice for quota errors (429, 403 rateLimitExceeded/userRateLimitExceeded) and 5xx:
 * truncated exponential backoff with jitter, honouring Retry-After. Calls with effects retry only
 * when Google refused them (a quota error), never after a 5xx, which may have done the work.
 */
export interface RetryOptions {
  /** Retry server errors too (only for calls that are safe to repeat). */
  idempotent: boolean;
  signal?: AbortSignal;
  sleep(milliseconds: number, signal?: AbortSignal): Promise<void>;
  random?: () => number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export async function withGoogleRetry<T>(operation: () => Promise<T>, options: RetryOptions): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 5;
  const base = options.baseDelayMs ?? 1000;
  const cap = options.maxDelayMs ?? 32_000;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      const failure = classifyGoogleError(error);
      const retryable =
        failure?.kind === "rate_limited" ||
        (options.idempotent && (failure?.kind === "server" || failure?.kind === "network"));
      if (!retryable || attempt >= maxAttempts || options.signal?.aborted) throw error;
      const backoff = Math.min(cap, base * 2 ** (attempt - 1) + Math.floor(random() * 1000));
      const hinted = failure.kind === "rate_limited" ? failure.retryAfterMs : undefined;
      await options.sleep(Math.min(cap, Math.max(backoff, hinted ?? 0)), options.signal);
    }
  }
}

export function sleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, milliseconds);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
