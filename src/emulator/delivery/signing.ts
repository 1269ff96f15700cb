import { createHmac } from "node:crypto";

/** `v0=` + HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the signing secret, as Slack signs requests. */
export function slackSignature(signingSecret: string, timestampSeconds: number, body: string): string {
  const digest = createHmac("sha256", signingSecret).update(`v0:${timestampSeconds}:${body}`).digest("hex");
  return `v0=${digest}`;
}

/** The two headers that let the app verify a request came from (this) Slack. */
export function signatureHeaders(signingSecret: string, body: string, nowMs: number): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    "X-Slack-Request-Timestamp": String(timestamp),
    "X-Slack-Signature": slackSignature(signingSecret, timestamp, body),
  };
}
