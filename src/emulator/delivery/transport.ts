import type { AttemptOutcome } from "../state/activity-log.js";

export interface AttemptResult {
  outcome: AttemptOutcome;
  status: number | undefined;
  responseBody: string | undefined;
  durationMs: number;
  /** The app answered `X-Slack-No-Retry: 1`. */
  noRetry: boolean;
}

/** One POST to the app; anything but a 2xx within `timeoutMs` is a failure, as on Slack. */
export async function postToApp(
  url: string,
  request: { body: string; headers: Record<string, string>; timeoutMs: number; signal: AbortSignal },
): Promise<AttemptResult> {
  const started = performance.now();
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = AbortSignal.any([timeout, request.signal]);
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: request.headers,
      body: request.body,
      signal,
    });
    const responseBody = await response.text();
    const acked = response.status >= 200 && response.status < 300;
    return {
      outcome: acked ? "acked" : "http_error",
      status: response.status,
      responseBody,
      durationMs: elapsed(),
      noRetry: response.headers.get("x-slack-no-retry") === "1",
    };
  } catch (error) {
    const timedOut = timeout.aborted || (error instanceof Error && error.name === "TimeoutError");
    return {
      outcome: timedOut ? "http_timeout" : "connection_failed",
      status: undefined,
      responseBody: undefined,
      durationMs: elapsed(),
      noRetry: false,
    };
  }
}

/** Resolves after `milliseconds`, or rejects as soon as `signal` aborts. */
export function waitUnlessAborted(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, milliseconds);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
