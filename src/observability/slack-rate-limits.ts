import type { Metrics } from "./metrics.js";

/**
 * Counts Slack's 429s. The Web API client emits `rate_limited` (retry-after seconds, the request)
 * before it waits and retries: subscribe with
 * `client.on(WebClientEvent.RATE_LIMITED, slackRateLimitListener(metrics))`.
 */
export function slackRateLimitListener(
  metrics: Pick<Metrics, "observeSlackRateLimit">,
): (retryAfterSeconds: number, request: { url: string }) => void {
  return (_retryAfterSeconds, request) => metrics.observeSlackRateLimit(slackMethodOf(request.url));
}

/** `https://slack.com/api/chat.postMessage` -> `chat.postMessage` ("unknown" for anything else). */
export function slackMethodOf(url: string): string {
  const method = url.split("?")[0]?.split("/").at(-1) ?? "";
  return /^[A-Za-z]+(\.[A-Za-z]+)+$/.test(method) ? method : "unknown";
}
