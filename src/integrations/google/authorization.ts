import { CodeChallengeMethod, type Credentials } from "google-auth-library";
import { errorMessage } from "../../errors.js";
import type { AccountStore, GoogleAccount } from "./account-store.js";
import type { GoogleDependencies } from "./dependencies.js";
import { emailFromIdToken } from "./identity.js";
import { createOAuthClient } from "./oauth-client.js";
import { fullScope, identityScopes, parseScopes } from "./scopes.js";
import { emailMismatchPolicy, sameEmail, sendConnectedNotice, slackPerson } from "./slack-person.js";
import { encodeState, newNonce, stateMatches, stateNonce } from "./state.js";

/**
 * The authorization-code flow with PKCE. `beginAuthorization` stores an OAuthFlow (the nonce, the
 * sealed code verifier, who started it, until when, and the connect link whose Slack sign-in it
 * follows) and gives the Google consent URL; `completeAuthorization` checks the state (signature,
 * browser, single use, expiry) and that the link was verified by Sign in with Slack, exchanges the
 * code with the verifier, refuses a Google account whose address differs from the Slack profile's
 * (unless the workspace says flag), stores the grant sealed and tells the person by DM.
 */
export interface AuthorizationStart {
  url: string;
  /** Also set as a cookie: the callback must come back to the browser that started. */
  nonce: string;
}

export async function beginAuthorization(
  deps: GoogleDependencies,
  accounts: AccountStore,
  request: { workspaceId: string; userId: string; scopes: string[]; linkId: string },
): Promise<AuthorizationStart> {
  const client = createOAuthClient(deps.settings);
  const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
  const scopes = [...new Set([...identityScopes, ...request.scopes])];
  const nonce = newNonce();
  await deps.database.oAuthFlow.create({
    data: {
      id: nonce,
      workspaceId: request.workspaceId,
      userId: request.userId,
      provider: "google",
      codeVerifierSealed: deps.sealer.seal(codeVerifier),
      scopes: scopes.join(" "),
      linkId: request.linkId,
      expiresAt: new Date(deps.now() + deps.settings.flowLifetimeMs),
    },
  });
  const existing = await accounts.find(request.workspaceId, request.userId);
  const url = client.generateAuthUrl({
    access_type: "offline",
    // Always ask, so Google always returns a refresh token (it does not on a silent re-consent).
    prompt: "consent",
    include_granted_scopes: true,
    scope: scopes.map(fullScope),
    state: encodeState(deps.keys.oauthState, {
      id: nonce,
      workspaceId: request.workspaceId,
      userId: request.userId,
    }),
    code_challenge: codeChallenge,
    code_challenge_method: CodeChallengeMethod.S256,
    ...(existing?.email ? { login_hint: existing.email } : {}),
  });
  return { url, nonce };
}

export type AuthorizationOutcome =
  | { type: "connected"; account: GoogleAccount }
  | { type: "denied"; workspaceId: string; userId: string }
  | { type: "invalid"; reason: "state" | "browser" | "used_or_expired" | "exchange_failed"; detail?: string }
  | { type: "email_mismatch"; googleEmail: string | undefined; slackEmail: string };

export async function completeAuthorization(
  deps: GoogleDependencies,
  accounts: AccountStore,
  callback: { state: string; code: string | undefined; error: string | undefined; browserNonce?: string },
): Promise<AuthorizationOutcome> {
  const nonce = stateNonce(callback.state);
  const flow = nonce ? await deps.database.oAuthFlow.findUnique({ where: { id: nonce } }) : null;
  if (flow?.provider !== "google" || !stateMatches(deps.keys.oauthState, callback.state, flow)) {
    return { type: "invalid", reason: "state" };
  }
  if (callback.browserNonce !== flow.id) return { type: "invalid", reason: "browser" };
  // Only a flow that follows a link verified by Sign in with Slack, for the same person, counts.
  const link = flow.linkId
    ? await deps.database.connectLink.findUnique({ where: { id: flow.linkId } })
    : null;
  if (!link?.verifiedAt || link.userId !== flow.userId || link.workspaceId !== flow.workspaceId) {
    return { type: "invalid", reason: "state" };
  }
  const now = new Date(deps.now());
  const claimed = await deps.database.oAuthFlow.updateMany({
    where: { id: flow.id, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (claimed.count !== 1) return { type: "invalid", reason: "used_or_expired" };
  if (callback.error || !callback.code) {
    return { type: "denied", workspaceId: flow.workspaceId, userId: flow.userId };
  }

  const client = createOAuthClient(deps.settings);
  let tokens: Credentials;
  try {
    ({ tokens } = await client.getToken({
      code: callback.code,
      codeVerifier: deps.sealer.unseal(flow.codeVerifierSealed),
    }));
  } catch (error) {
    deps.logger.warn({ error: errorMessage(error) }, "google code exchange failed");
    return { type: "invalid", reason: "exchange_failed", detail: errorMessage(error) };
  }
  const existing = await accounts.find(flow.workspaceId, flow.userId);
  const email = emailFromIdToken(tokens.id_token, deps.settings.clientId);
  const refreshToken =
    tokens.refresh_token ?? (existing?.email === email ? existing?.refreshToken : undefined);
  if (!refreshToken) {
    return { type: "invalid", reason: "exchange_failed", detail: "Google returned no refresh token" };
  }
  // The address Slack gave at sign-in; else the profile's (users.info, with users:read.email).
  const slackEmail = link.slackEmail ?? (await slackPerson(deps, flow)).email;
  if (slackEmail && !sameEmail(slackEmail, email)) {
    if ((await emailMismatchPolicy(deps, flow.workspaceId)) === "refuse") {
      deps.logger.warn(
        { userId: flow.userId },
        "google account does not match the slack profile's email: refused",
      );
      // Nothing is stored; the grant Google just issued is ended too.
      if (tokens.refresh_token) await client.revokeToken(tokens.refresh_token).catch(() => undefined);
      return { type: "email_mismatch", googleEmail: email, slackEmail };
    }
  }
  const account = await accounts.saveGrant({
    workspaceId: flow.workspaceId,
    userId: flow.userId,
    email,
    scopes: parseScopes(tokens.scope ?? flow.scopes),
    refreshToken,
    accessToken: tokens.access_token ?? undefined,
    accessTokenExpiresAt: tokens.expiry_date ?? undefined,
  });
  // A different Google account replaced the old one: end the old grant.
  if (existing?.refreshToken && existing.email !== email && existing.refreshToken !== refreshToken) {
    await client.revokeToken(existing.refreshToken).catch((error: unknown) => {
      deps.logger.warn({ error: errorMessage(error) }, "revoking the replaced google grant failed");
    });
  }
  await sendConnectedNotice(deps, {
    workspaceId: flow.workspaceId,
    userId: flow.userId,
    googleEmail: email,
    scopes: account.scopes,
    slackEmail,
  });
  return { type: "connected", account };
}
