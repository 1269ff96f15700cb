import { slackSignature } from "../../src/emulator/index.js";

/**
 * POSTs `body` to the app's `/slack/events` as Slack does, signed now with `signingSecret`: JSON
 * unless `headers` say otherwise (they are added last).
 */
export function postSignedToApp(
  webUrl: string,
  signingSecret: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  const timestamp = Math.floor(Date.now() / 1000);
  return fetch(`${webUrl}/slack/events`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": slackSignature(signingSecret, timestamp, body),
      ...headers,
    },
    body,
  });
}
