import type { HTTPReceiver } from "@slack/bolt";

/**
 * Slack signs each request over its timestamp, and a receiver must refuse timestamps more than five
 * minutes from its own clock, so a captured request cannot be replayed later. Bolt's verifier
 * (verify-request.js) only refuses old ones: a request signed with a timestamp an hour ahead (say,
 * captured from a sender with a wrong clock, or signed in advance) would pass until then. Bolt has
 * no option for the other bound, so this wraps the receiver's request listener, the one entry of
 * every request to its Slack endpoints, and refuses (401, as Bolt does) a timestamp that is too far
 * either way before Bolt sees it. A request without the header is left to Bolt, which refuses it.
 * Real time, not the services' clock: it is compared with Slack's clock, like Bolt's own check.
 */
export const maximumSkewSeconds = 5 * 60;

export function timestampIsFresh(header: string | string[] | undefined, nowMs: number): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return true;
  if (!/^\d{1,12}$/.test(value)) return false;
  return Math.abs(Number(value) - Math.floor(nowMs / 1000)) <= maximumSkewSeconds;
}

export function refuseSkewedTimestamps(receiver: HTTPReceiver, endpoints: string[]): void {
  const listener = receiver.requestListener;
  receiver.requestListener = (request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    const header = request.headers["x-slack-request-timestamp"];
    if (request.method === "POST" && endpoints.includes(path) && !timestampIsFresh(header, Date.now())) {
      response.writeHead(401);
      response.end();
      return;
    }
    listener(request, response);
  };
}
