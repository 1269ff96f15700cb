import { CodedError } from "../../errors.js";
import type { Model } from "./model.js";
import { isRetryable } from "./retry.js";

export interface FallbackInfo {
  from: string;
  to: string;
  error: CodedError;
}

/**
 * Uses `fallback` for a call once `primary` has given up on a transient failure or timeout (after its
 * own retries). Permanent errors and cancellation are not hidden behind the fallback.
 */
export function withFallback(
  primary: Model,
  fallback: Model,
  onFallback?: (info: FallbackInfo) => void,
): Model {
  return {
    name: primary.name,
    async generate(request) {
      try {
        return await primary.generate(request);
      } catch (error) {
        if (!isRetryable(error)) throw error;
        onFallback?.({ from: primary.name, to: fallback.name, error });
        try {
          return await fallback.generate(request);
        } catch (fallbackError) {
          if (!isRetryable(fallbackError)) throw fallbackError;
          throw new CodedError(
            fallbackError.code,
            `Both "${primary.name}" and the fallback "${fallback.name}" failed. ${error.message} Fallback: ${fallbackError.message}`,
            { cause: fallbackError, retryAfterMs: fallbackError.options.retryAfterMs },
          );
        }
      }
    },
  };
}
