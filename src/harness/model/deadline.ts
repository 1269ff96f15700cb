import { CodedError } from "../../errors.js";
import { cancelledError, throwIfCancelled } from "./cancellation.js";
import { classifyFailure, type FailureContext } from "./failures.js";

/**
 * Runs one HTTP call with a hard deadline. The call gets its own AbortSignal, aborted when the
 * caller's signal aborts or when `timeoutMs` passes; the returned promise settles at that moment
 * even if the SDK were slow to notice. Whatever went wrong comes out as a coded error.
 */
export async function callWithDeadline<T>(
  options: { signal: AbortSignal | undefined; timeoutMs: number; failure: FailureContext },
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const { signal, timeoutMs, failure } = options;
  throwIfCancelled(signal);
  const controller = new AbortController();
  let timedOut = false;
  let stop: ((error: CodedError) => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    stop = reject;
  });
  stopped.catch(() => {});
  const onAbort = () => {
    stop?.(cancelledError(signal));
    controller.abort(signal?.reason);
  };
  const timer = setTimeout(() => {
    timedOut = true;
    stop?.(timeoutError(failure.model, timeoutMs));
    controller.abort(new Error("model call timed out"));
  }, timeoutMs);
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const work = call(controller.signal);
    work.catch(() => {});
    return await Promise.race([work, stopped]);
  } catch (error) {
    if (signal?.aborted) throw cancelledError(signal);
    if (timedOut) throw timeoutError(failure.model, timeoutMs);
    throw classifyFailure(error, failure);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}

function timeoutError(model: string, timeoutMs: number): CodedError {
  return new CodedError("model_timeout", `The model "${model}" did not answer within ${timeoutMs / 1000} s.`);
}
