import { createAnthropicModel } from "./anthropic.js";
import { type FallbackInfo, withFallback } from "./fallback.js";
import type { Model } from "./model.js";
import { createOpenAIModel } from "./openai.js";
import { type RetryInfo, type Sleep, withRetries } from "./retry.js";

/**
 * The composition of the model layer: a provider adapter (one HTTP attempt, hard timeout), our retry
 * loop around it, and an optional fallback model tried once the primary's retries are exhausted on
 * transient failures.
 *
 * Errors `generate()` throws (all `CodedError`):
 * - `model_permanent` (expected): 400/401/403/404/422..., never retried, message says what to fix;
 * - `model_transient`: 408/409/429/5xx/connection failures still failing after all retries (and the
 *   fallback); `options.retryAfterMs` is set when the provider said how long to wait;
 * - `model_timeout`: as above, when the last attempt ran into `timeoutMs`;
 * - `run_cancelled` (expected): the request's AbortSignal fired (in flight or during a backoff sleep).
 */
export interface CreateModelOptions {
  provider: "openai" | "anthropic";
  baseUrl?: string;
  apiKey?: string;
  /** The primary model's name. */
  name: string;
  /** A model on the same provider used after the primary's retries are exhausted on transient errors. */
  fallback?: string;
  /** Hard limit for each HTTP call. */
  timeoutMs: number;
  /** Retries after the first attempt, per model (primary and fallback each). */
  maxRetries: number;
  /** Anthropic's required `max_tokens` when a request does not set `maxOutputTokens`. */
  maxOutputTokens?: number;
  onRetry?: (info: RetryInfo) => void;
  onFallback?: (info: FallbackInfo) => void;
  sleep?: Sleep;
  random?: () => number;
  now?: () => number;
  /** Backoff tuning; see RetryPolicy. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  maxRetryAfterMs?: number;
}

export function createModel(options: CreateModelOptions): Model {
  const primary = resilientModel(options, options.name);
  if (!options.fallback || options.fallback === options.name) return primary;
  return withFallback(primary, resilientModel(options, options.fallback), options.onFallback);
}

function resilientModel(options: CreateModelOptions, name: string): Model {
  const adapterOptions = {
    name,
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    timeoutMs: options.timeoutMs,
    now: options.now,
  };
  const adapter =
    options.provider === "anthropic"
      ? createAnthropicModel({ ...adapterOptions, maxOutputTokens: options.maxOutputTokens })
      : createOpenAIModel(adapterOptions);
  return withRetries(adapter, {
    maxRetries: options.maxRetries,
    baseDelayMs: options.baseDelayMs,
    maxDelayMs: options.maxDelayMs,
    maxRetryAfterMs: options.maxRetryAfterMs,
    onRetry: options.onRetry,
    sleep: options.sleep,
    random: options.random,
  });
}

export type { FallbackInfo } from "./fallback.js";
export type * from "./model.js";
export { emptyUsage } from "./model.js";
export type { RetryInfo, RetryPolicy, Sleep } from "./retry.js";
