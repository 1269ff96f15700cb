import { CodedError } from "../../errors.js";

/**
 * Cancellation by the caller's AbortSignal always surfaces as `CodedError("run_cancelled")`, whether
 * it hit an HTTP call in flight, a backoff sleep, or a call that had not started yet.
 */
export function cancelledError(signal: AbortSignal | undefined): CodedError {
  return new CodedError("run_cancelled", "The model call was cancelled.", {
    expected: true,
    cause: signal?.reason,
  });
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError(signal);
}

/**
 * Settles with `work`, or rejects with `run_cancelled` the moment `signal` aborts, even if `work`
 * ignores the signal. The listener is removed afterwards so long-lived signals do not collect them.
 */
export async function cancellable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  throwIfCancelled(signal);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(cancelledError(signal));
    signal.addEventListener("abort", onAbort, { once: true });
  });
  work.catch(() => {});
  try {
    return await Promise.race([work, aborted]);
  } catch (error) {
    throw signal.aborted ? cancelledError(signal) : error;
  } finally {
    if (onAbort) signal.removeEventListener("abort", onAbort);
  }
}
