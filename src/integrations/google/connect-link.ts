import { createHash, randomBytes } from "node:crypto";
import type { GoogleDependencies } from "./dependencies.js";
import { knownScopes } from "./scopes.js";
import { startPath } from "./settings.js";

/**
 * The link a person follows to connect Google: a random token naming one ConnectLink row (Slack
 * user, workspace, scopes), valid for minutes and for one use. The token alone does not connect
 * anything: whoever opens it must first sign in with Slack as that very user (slack-sign-in.ts), so
 * a link forwarded to someone else, or sent by an attacker to a victim, connects nothing.
 */
export interface ConnectRequest {
  workspaceId: string;
  userId: string;
  /** Short scope names (`gmail.readonly`). */
  scopes: string[];
}

export interface ConnectLinkRecord extends ConnectRequest {
  id: string;
  expiresAt: Date;
  usedAt: Date | null;
  verifiedAt: Date | null;
}

/** How long expired links are kept before they are pruned (so a late click can still say "expired"). */
const keepExpiredMs = 24 * 60 * 60 * 1000;

export async function createConnectLink(deps: GoogleDependencies, request: ConnectRequest): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  const now = deps.now();
  const scopes = [...new Set(request.scopes)].filter((scope) => knownScopes.has(scope)).sort();
  await deps.database.connectLink.create({
    data: {
      id: linkId(token),
      workspaceId: request.workspaceId,
      userId: request.userId,
      provider: "google",
      scopes: scopes.join(" "),
      expiresAt: new Date(now + deps.settings.linkLifetimeMs),
    },
  });
  await deps.database.connectLink.deleteMany({ where: { expiresAt: { lt: new Date(now - keepExpiredMs) } } });
  return `${deps.settings.publicUrl}${startPath}?${new URLSearchParams({ link: token }).toString()}`;
}

export type LinkLookup =
  | { status: "open"; link: ConnectLinkRecord }
  | { status: "unknown" | "expired" | "used"; link?: ConnectLinkRecord };

/** The link a token names, and whether it may still be used. Does not use it up. */
export async function findConnectLink(deps: GoogleDependencies, token: string): Promise<LinkLookup> {
  if (!token) return { status: "unknown" };
  const row = await deps.database.connectLink.findUnique({ where: { id: linkId(token) } });
  if (row?.provider !== "google") return { status: "unknown" };
  const link = linkRecord(row);
  if (link.usedAt) return { status: "used", link };
  if (link.expiresAt.getTime() <= deps.now()) return { status: "expired", link };
  return { status: "open", link };
}

/** Uses the link up (Continue was pressed); only one caller ever gets it. */
export async function claimConnectLink(deps: GoogleDependencies, token: string): Promise<LinkLookup> {
  const found = await findConnectLink(deps, token);
  if (found.status !== "open") return found;
  const now = new Date(deps.now());
  const claimed = await deps.database.connectLink.updateMany({
    where: { id: found.link.id, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (claimed.count !== 1) return { status: "used", link: found.link };
  return { status: "open", link: { ...found.link, usedAt: now } };
}

export function linkId(token: string): string {
  return createHash("sha256").update(`google-connect-link\n${token}`).digest("hex");
}

export function linkRecord(row: {
  id: string;
  workspaceId: string;
  userId: string;
  scopes: string;
  expiresAt: Date;
  usedAt: Date | null;
  verifiedAt: Date | null;
}): ConnectLinkRecord {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    userId: row.userId,
    scopes: row.scopes.split(" ").filter(Boolean),
    expiresAt: row.expiresAt,
    usedAt: row.usedAt,
    verifiedAt: row.verifiedAt,
  };
}
