import { sign, verify } from "../../security/signing.js";
import { knownScopes } from "./scopes.js";
import { startPath } from "./settings.js";

/**
 * The link a person follows to connect Google: signed (keys.links), bound to one Slack user in one
 * workspace and the scopes to ask for, and expiring. It is only ever shown to that person (App Home,
 * an ephemeral message, a slash command reply): whoever opens it connects *their* Google account to
 * that Slack user.
 */
export interface ConnectRequest {
  workspaceId: string;
  userId: string;
  /** Short scope names (`gmail.readonly`). */
  scopes: string[];
}

export function connectLink(
  options: { publicUrl: string; key: Buffer; lifetimeMs: number; now: number },
  request: ConnectRequest,
): string {
  const expires = String(options.now + options.lifetimeMs);
  const scopes = [...new Set(request.scopes)].sort().join(" ");
  const signature = sign(options.key, payload(request.workspaceId, request.userId, scopes, expires));
  const query = new URLSearchParams({
    workspace: request.workspaceId,
    user: request.userId,
    scopes,
    expires,
    signature,
  });
  return `${options.publicUrl}${startPath}?${query.toString()}`;
}

export type LinkCheck = { valid: true; request: ConnectRequest } | { valid: false; reason: string };

export function verifyConnectLink(key: Buffer, query: URLSearchParams, now: number): LinkCheck {
  const workspaceId = query.get("workspace") ?? "";
  const userId = query.get("user") ?? "";
  const scopes = query.get("scopes") ?? "";
  const expires = query.get("expires") ?? "";
  const signature = query.get("signature") ?? "";
  if (!workspaceId || !userId || !expires || !signature) return { valid: false, reason: "incomplete" };
  if (!verify(key, payload(workspaceId, userId, scopes, expires), signature)) {
    return { valid: false, reason: "signature" };
  }
  if (!(Number(expires) > now)) return { valid: false, reason: "expired" };
  const list = scopes.split(" ").filter(Boolean);
  if (list.some((scope) => !knownScopes.has(scope))) return { valid: false, reason: "scopes" };
  return { valid: true, request: { workspaceId, userId, scopes: list } };
}

function payload(workspaceId: string, userId: string, scopes: string, expires: string): string {
  return ["google-connect", workspaceId, userId, scopes, expires].join("\n");
}
