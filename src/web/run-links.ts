import { sign, verify } from "../security/signing.js";
import type { Database } from "../storage/database.js";

/**
 * "View run" links. A run's page shows its tool results, which may come from sources only the
 * requester can read, so a link is minted for one person (the requester) when they ask for it, sent
 * to them privately, expires within hours (RUN_LINK_LIFETIME_MS) and can be revoked: each link is a
 * RunLink row whose id is part of the signed URL. It grants that one run (its page, tool results and
 * artifacts) and nothing else: another run, the run list and the queue dashboard need the admin login.
 */
export interface RunLinkServices {
  config: { http: { publicUrl: string }; runLinks: { lifetimeMs: number } };
  keys: { links: Buffer };
  database: Database;
  now(): number;
}

export interface IssuedRunLink {
  id: string;
  url: string;
  expiresAt: Date;
}

/** Mints a link to run `run` for `userId` (stored, so it can be revoked). */
export async function issueRunLink(
  services: RunLinkServices,
  run: { id: string; workspaceId: string },
  userId: string,
  lifetimeMs = services.config.runLinks.lifetimeMs,
): Promise<IssuedRunLink> {
  const expiresAt = new Date(services.now() + lifetimeMs);
  const link = await services.database.runLink.create({
    data: { runId: run.id, workspaceId: run.workspaceId, userId, expiresAt },
  });
  const expires = String(expiresAt.getTime());
  const query = new URLSearchParams({
    link: link.id,
    expires,
    signature: sign(services.keys.links, payload(run.id, link.id, expires)),
  });
  const base = services.config.http.publicUrl.replace(/\/+$/, "");
  return { id: link.id, url: `${base}/runs/${encodeURIComponent(run.id)}?${query}`, expiresAt };
}

export type RunLinkCheck = "valid" | "expired" | "revoked" | "invalid" | "absent";

export async function checkRunLink(
  services: Pick<RunLinkServices, "keys" | "database">,
  runId: string,
  query: URLSearchParams,
  now: number,
): Promise<RunLinkCheck> {
  const link = query.get("link");
  const expires = query.get("expires");
  const signature = query.get("signature");
  if (!link && !expires && !signature) return "absent";
  if (!link || !expires || !signature || !/^\d{1,16}$/.test(expires)) return "invalid";
  if (!verify(services.keys.links, payload(runId, link, expires), signature)) return "invalid";
  const row = await services.database.runLink.findUnique({ where: { id: link } });
  if (!row || row.runId !== runId) return "invalid";
  if (row.revokedAt) return "revoked";
  return Number(expires) > now && row.expiresAt.getTime() > now ? "valid" : "expired";
}

/** Revokes one link, only for the person it was given to. True when it was theirs and is now revoked. */
export async function revokeRunLink(
  database: Database,
  linkId: string,
  userId: string,
  now: number,
): Promise<boolean> {
  const changed = await database.runLink.updateMany({
    where: { id: linkId, userId, revokedAt: null },
    data: { revokedAt: new Date(now) },
  });
  return changed.count > 0;
}

/** Revokes every link a person holds in a workspace (`/coworker links revoke`). */
export async function revokeRunLinksOf(
  database: Database,
  workspaceId: string,
  userId: string,
  now: number,
): Promise<number> {
  const changed = await database.runLink.updateMany({
    where: { workspaceId, userId, revokedAt: null, expiresAt: { gt: new Date(now) } },
    data: { revokedAt: new Date(now) },
  });
  return changed.count;
}

/** The query string that carries a link's grant to the run's sub-resources (tool results, artifacts). */
export function grantQuery(query: URLSearchParams): string {
  const link = query.get("link");
  const expires = query.get("expires");
  const signature = query.get("signature");
  return link && expires && signature ? `?${new URLSearchParams({ link, expires, signature })}` : "";
}

function payload(runId: string, linkId: string, expires: string): string {
  return `run-view\n${runId}\n${linkId}\n${expires}`;
}
