import { sign, verify } from "../security/signing.js";

/**
 * The link to a run's page in the web role, as the thread's "View run" button carries it: signed with
 * `keys.links` and expiring. It grants that one run (its page, its tool results and artifacts) and
 * nothing else: another run, the run list and the queue dashboard need the admin login.
 */
export const runLinkLifetimeMs = 7 * 24 * 60 * 60 * 1000;

export interface RunLinkServices {
  config: { http: { publicUrl: string } };
  keys: { links: Buffer };
  now(): number;
}

export function runLink(services: RunLinkServices, runId: string, lifetimeMs = runLinkLifetimeMs): string {
  const expires = String(services.now() + lifetimeMs);
  const query = new URLSearchParams({
    expires,
    signature: sign(services.keys.links, payload(runId, expires)),
  });
  const base = services.config.http.publicUrl.replace(/\/+$/, "");
  return `${base}/runs/${encodeURIComponent(runId)}?${query}`;
}

export type RunLinkCheck = "valid" | "expired" | "invalid" | "absent";

export function checkRunLink(key: Buffer, runId: string, query: URLSearchParams, now: number): RunLinkCheck {
  const expires = query.get("expires");
  const signature = query.get("signature");
  if (!expires && !signature) return "absent";
  if (!expires || !signature || !/^\d{1,16}$/.test(expires)) return "invalid";
  if (!verify(key, payload(runId, expires), signature)) return "invalid";
  return Number(expires) > now ? "valid" : "expired";
}

/** The query string that carries a link's grant to the run's sub-resources (tool results, artifacts). */
export function grantQuery(query: URLSearchParams): string {
  const expires = query.get("expires");
  const signature = query.get("signature");
  return expires && signature ? `?${new URLSearchParams({ expires, signature })}` : "";
}

function payload(runId: string, expires: string): string {
  return `run-view\n${runId}\n${expires}`;
}
