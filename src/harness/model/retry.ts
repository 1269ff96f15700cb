import { setTimeout as delay } from "node:timers/promises";
import { CodedError, type ErrorCode, isCodedError } from "../../errors.js";
import { cancellable, throwIfCancelled } from "./cancellation.js";
import { statusOf } from "./failures.js";
import type { Model, ModelRequest, ModelResponse } from "./model.js";

/**
 * Our own retry loop (the SDKs' built-in retries are off): transient failures and timeouts are retried
 * with jittered exponential backoff, honouring the provider's Retry-After; permanent errors and
 * cancellation go straight through. Sleep and randomness are injected so tests can see every delay.
 */
export type Sleep = (milliseconds: number, signal?: AbortSignal) => Promise<void>;

export interface RetryInfo {
  /** The model that failed. */
  model: string;
  /** 1-based number of the attempt that just failed. */
  attempt: number;
  /** How long we wait before the next attempt. */
  delayMs: number;
  /** HTTP status, when the provider answered. */
  status: number | undefined;
  error: CodedError;
}

export interface RetryPolicy {
  /** Retries after the first attempt (so at most `maxRetries + 1` requests). */
  maxRetries: number;
  /** First backoff step; it doubles on each retry. Default 500 ms. */
  baseDelayMs?: number;
  /** Cap on the computed backoff. Default 30 s. */
  maxDelayMs?: number;
  /** A Retry-After longer than this is not waited out in process: we give up (the error carries it). Default 60 s. */
  maxRetryAfterMs?: number;
  onRetry?: (info: RetryInfo) => void;
  sleep?: Sleep;
  /** Returns a number in [0, 1). */
  random?: () => number;
}

export const defaultSleep: Sleep = (milliseconds, signal) => delay(milliseconds, undefined, { signal });

export function isRetryable(error: unknown): error is CodedError {
  return isCodedError(error, "model_transient") || isCodedError(error, "model_timeout");
}

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random, so delays never
 * collapse to zero yet concurrent callers spread out. `retry` is 1 for the first retry.
 */
export function backoffDelay(retry: number, policy: RetryPolicy): number {
  const base = policy.baseDelayMs ?? 500;
  const step = Math.min(policy.maxDelayMs ?? 30_000, base * 2 ** (retry - 1));
  const random = policy.random ?? Math.random;
  return Math.round(step / 2 + (random() * step) / 2);
}

/** The delay before the next attempt, or undefined when the provider asked for a wait too long to sit out. */
export function retryDelay(error: CodedError, retry: number, policy: RetryPolicy): number | undefined {
  const retryAfter = error.options.retryAfterMs;
  if (retryAfter === undefined) return backoffDelay(retry, policy);
  return retryAfter <= (policy.maxRetryAfterMs ?? 60_000) ? retryAfter : undefined;
}

export function withRetries(model: Model, policy: RetryPolicy): Model {
  return {
    name: model.name,
    generate: (request) => generateWithRetries(model, request, policy),
  };
}

async function generateWithRetries(
  model: Model,
  request: ModelRequest,
  policy: RetryPolicy,
): Promise<ModelResponse> {
  const sleep = policy.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    throwIfCancelled(request.signal);
    try {
      return await model.generate(request);
    } catch (error) {
      if (!isRetryable(error)) throw error;
      const delayMs = attempt <= policy.maxRetries ? retryDelay(error, attempt, policy) : undefined;
      if (delayMs === undefined) throw exhausted(model.name, attempt, error);
      const info = { model: model.name, attempt, delayMs, status: statusOf(error), error };
      policy.onRetry?.(info);
      request.onRetry?.(info);
      await cancellable(sleep(delayMs, request.signal), request.signal);
    }
  }
}

function exhausted(model: string, attempts: number, last: CodedError): CodedError {
  const code: ErrorCode = last.code;
  const tries = attempts === 1 ? "1 attempt" : `${attempts} attempts`;
  return new CodedError(code, `The model "${model}" failed after ${tries}. Last error: ${last.message}`, {
    cause: last,
    retryAfterMs: last.options.retryAfterMs,
  });
}
