import { webApi } from "@slack/bolt";
import { errorMessage } from "../../errors.js";
import { type ConnectLinkRecord, linkRecord } from "./connect-link.js";
import type { GoogleDependencies } from "./dependencies.js";
import type { SlackSignInSettings } from "./settings.js";
import { encodeState, newNonce, stateMatches, stateNonce } from "./state.js";

/**
 * Sign in with Slack (OpenID Connect) for a connect link: before Google is asked, the browser that
 * pressed Continue proves which Slack user it is. `beginSlackSignIn` stores an OAuthFlow (provider
 * `slack-sign-in`, tied to the link, with the sealed OpenID nonce) and gives Slack's authorize URL;
 * `completeSlackSignIn` checks the state (signature, browser, single use, expiry), exchanges the code
 * with `openid.connect.token`, checks the id_token (our client, our nonce, not expired) and compares
 * its `https://slack.com/user_id` and `team_id` with the link's. Only a match marks the link verified.
 */
export const slackSignInProvider = "slack-sign-in";

export async function beginSlackSignIn(
  deps: GoogleDependencies,
  slack: SlackSignInSettings,
  link: ConnectLinkRecord,
): Promise<{ url: string; nonce: string }> {
  const id = newNonce();
  const openIdNonce = newNonce();
  await deps.database.oAuthFlow.create({
    data: {
      id,
      workspaceId: link.workspaceId,
      userId: link.userId,
      provider: slackSignInProvider,
      codeVerifierSealed: deps.sealer.seal(openIdNonce),
      linkId: link.id,
      expiresAt: new Date(deps.now() + deps.settings.flowLifetimeMs),
    },
  });
  const url = new URL(slack.authorizeUrl);
  url.search = new URLSearchParams({
    response_type: "code",
    // `email`: the address on the Slack profile, compared with the Google account's.
    scope: "openid email",
    client_id: slack.clientId,
    redirect_uri: slack.redirectUrl,
    state: encodeState(deps.keys.oauthState, { id, workspaceId: link.workspaceId, userId: link.userId }),
    nonce: openIdNonce,
    team: link.workspaceId,
  }).toString();
  return { url: url.toString(), nonce: id };
}

export interface SlackIdentity {
  userId: string;
  teamId: string;
  email?: string;
}

export type SlackSignInOutcome =
  | { type: "verified"; link: ConnectLinkRecord }
  | { type: "wrong_person"; link: ConnectLinkRecord; signedIn: SlackIdentity }
  | { type: "denied" }
  | { type: "invalid"; reason: "state" | "browser" | "used_or_expired" | "exchange_failed" | "identity" };

export async function completeSlackSignIn(
  deps: GoogleDependencies,
  slack: SlackSignInSettings,
  callback: { state: string; code: string | undefined; error: string | undefined; browserNonce?: string },
): Promise<SlackSignInOutcome> {
  const nonce = stateNonce(callback.state);
  const flow = nonce ? await deps.database.oAuthFlow.findUnique({ where: { id: nonce } }) : null;
  if (
    flow?.provider !== slackSignInProvider ||
    !flow.linkId ||
    !stateMatches(deps.keys.oauthState, callback.state, flow)
  ) {
    return { type: "invalid", reason: "state" };
  }
  if (callback.browserNonce !== flow.id) return { type: "invalid", reason: "browser" };
  const now = new Date(deps.now());
  const claimed = await deps.database.oAuthFlow.updateMany({
    where: { id: flow.id, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (claimed.count !== 1) return { type: "invalid", reason: "used_or_expired" };
  if (callback.error || !callback.code) return { type: "denied" };

  let idToken: string | undefined;
  try {
    const client = new webApi.WebClient(undefined, {
      slackApiUrl: slack.apiUrl,
      logLevel: webApi.LogLevel.ERROR,
      retryConfig: { retries: 2 },
    });
    const answer = await client.openid.connect.token({
      client_id: slack.clientId,
      client_secret: slack.clientSecret,
      code: callback.code,
      redirect_uri: slack.redirectUrl,
    });
    idToken = answer.id_token;
  } catch (error) {
    deps.logger.warn({ error: errorMessage(error) }, "sign in with slack: code exchange failed");
    return { type: "invalid", reason: "exchange_failed" };
  }
  const identity = identityOf(idToken, {
    clientId: slack.clientId,
    nonce: deps.sealer.unseal(flow.codeVerifierSealed),
    now: deps.now(),
  });
  if (!identity) return { type: "invalid", reason: "identity" };

  const row = await deps.database.connectLink.findUnique({ where: { id: flow.linkId } });
  if (!row?.usedAt) return { type: "invalid", reason: "state" };
  const link = linkRecord(row);
  if (identity.userId !== link.userId || identity.teamId !== link.workspaceId) {
    deps.logger.warn(
      { linkFor: link.userId, signedInAs: identity.userId, team: identity.teamId },
      "google connect link opened by another slack user: refused",
    );
    return { type: "wrong_person", link, signedIn: identity };
  }
  const verified = await deps.database.connectLink.updateMany({
    where: { id: link.id, verifiedAt: null },
    data: { verifiedAt: now, slackEmail: identity.email ?? null },
  });
  if (verified.count !== 1) return { type: "invalid", reason: "used_or_expired" };
  return { type: "verified", link: { ...link, verifiedAt: now } };
}

/**
 * The Slack user and team in an id_token from `openid.connect.token`. It came straight from Slack
 * over TLS, so (OpenID Connect Core 3.1.3.7) its signature need not be checked; it must still be
 * for our client, carry our nonce and not have expired.
 */
export function identityOf(
  token: string | undefined,
  expected: { clientId: string; nonce: string; now: number },
): SlackIdentity | undefined {
  const part = token?.split(".")[1];
  if (!part) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.includes(expected.clientId)) return undefined;
    if (claims.nonce !== expected.nonce) return undefined;
    if (typeof claims.exp !== "number" || claims.exp * 1000 <= expected.now) return undefined;
    const userId = claims["https://slack.com/user_id"];
    const teamId = claims["https://slack.com/team_id"];
    if (typeof userId !== "string" || typeof teamId !== "string") return undefined;
    const email = typeof claims.email === "string" && claims.email ? claims.email : undefined;
    return { userId, teamId, ...(email ? { email } : {}) };
  } catch {
    return undefined;
  }
}
