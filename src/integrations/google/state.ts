import { randomBytes } from "node:crypto";
import { sign, verify } from "../../security/signing.js";

/**
 * The OAuth `state`: a random nonce (the OAuthFlow row's id) and an HMAC (keys.oauthState) binding it
 * to the Slack workspace and user that started the flow. Single use and expiry live on the row.
 */
export function newNonce(): string {
  return randomBytes(24).toString("base64url");
}

export function encodeState(key: Buffer, flow: { id: string; workspaceId: string; userId: string }): string {
  return `${flow.id}.${sign(key, payload(flow))}`;
}

/** The nonce in a state string (not yet verified: look the flow up, then call `stateMatches`). */
export function stateNonce(state: string): string | undefined {
  const [nonce, signature, extra] = state.split(".");
  return nonce && signature && extra === undefined ? nonce : undefined;
}

export function stateMatches(
  key: Buffer,
  state: string,
  flow: { id: string; workspaceId: string; userId: string },
): boolean {
  const signature = state.split(".")[1] ?? "";
  return stateNonce(state) === flow.id && verify(key, payload(flow), signature);
}

function payload(flow: { id: string; workspaceId: string; userId: string }): string {
  return ["google-oauth-state", flow.id, flow.workspaceId, flow.userId].join("\n");
}
