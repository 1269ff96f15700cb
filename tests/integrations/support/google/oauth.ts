import { createHash, randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { apiError, oauthError, type Route, redirect, route, type StandInRequest, sendJson } from "./http.js";
import { type AccessToken, addAccount, type Grant, type StandInState } from "./state.js";

/**
 * Google's OAuth 2.0 endpoints for web server apps, as documented ("Using OAuth 2.0 for Web Server
 * Applications"): the consent screen (auto-answered as `state.consent` says), the token endpoint
 * (authorization_code with PKCE, refresh_token) and the revoke endpoint.
 */
export const oauthPaths = { authorize: "/o/oauth2/v2/auth", token: "/token", revoke: "/revoke" };

const token = () => `ya29.${randomBytes(24).toString("base64url")}`;

export function oauthRoutes(state: StandInState): Route[] {
  return [
    route("GET", /^\/o\/oauth2\/v2\/auth$/, (request, response) => authorize(state, request, response)),
    route("POST", /^\/token$/, (request, response) => exchange(state, request, response)),
    route("POST", /^\/revoke$/, (request, response) => revoke(state, request, response)),
  ];
}

function authorize(state: StandInState, request: StandInRequest, response: ServerResponse): void {
  const query = request.url.searchParams;
  const redirectUri = query.get("redirect_uri") ?? "";
  if (query.get("client_id") !== state.clientId) {
    oauthError(response, 401, "invalid_client", "The OAuth client was not found.");
    return;
  }
  if (!state.redirectUris.has(redirectUri)) {
    oauthError(response, 400, "redirect_uri_mismatch", `Unregistered redirect_uri ${redirectUri}`);
    return;
  }
  const back = new URL(redirectUri);
  const stateParameter = query.get("state");
  if (stateParameter !== null) back.searchParams.set("state", stateParameter);
  if (state.consent.decision === "deny") {
    back.searchParams.set("error", "access_denied");
    redirect(response, back.href);
    return;
  }
  const email = state.consent.email;
  addAccount(state, email);
  // Google reports the `email` and `profile` shorthands as their userinfo scopes.
  const requested = (query.get("scope") ?? "")
    .split(" ")
    .filter(Boolean)
    .map((scope) =>
      scope === "email" || scope === "profile" ? `https://www.googleapis.com/auth/userinfo.${scope}` : scope,
    );
  let grant = state.grants.find((item) => item.email === email && item.clientId === state.clientId);
  if (!grant || grant.revoked) {
    grant = { email, clientId: state.clientId, scopes: new Set(), revoked: false };
    state.grants.push(grant);
  }
  const scopes =
    query.get("include_granted_scopes") === "true"
      ? [...new Set([...grant.scopes, ...requested])]
      : requested;
  const code = `4/${randomBytes(16).toString("base64url")}`;
  state.codes.set(code, {
    code,
    grant,
    scopes,
    redirectUri,
    challenge: query.get("code_challenge") ?? undefined,
    challengeMethod: query.get("code_challenge_method") ?? undefined,
    expiresAt: state.now() + 10 * 60 * 1000,
    used: false,
  });
  back.searchParams.set("code", code);
  back.searchParams.set("scope", scopes.join(" "));
  redirect(response, back.href);
}

function exchange(state: StandInState, request: StandInRequest, response: ServerResponse): void {
  const form = request.form();
  if (form.get("client_id") !== state.clientId || form.get("client_secret") !== state.clientSecret) {
    oauthError(response, 401, "invalid_client", "Unauthorized");
    return;
  }
  const grantType = form.get("grant_type");
  if (grantType === "authorization_code") {
    const issued = state.codes.get(form.get("code") ?? "");
    if (!issued || issued.used || issued.expiresAt < state.now()) {
      oauthError(response, 400, "invalid_grant", "Bad Request");
      return;
    }
    issued.used = true;
    if (issued.redirectUri !== form.get("redirect_uri")) {
      oauthError(response, 400, "redirect_uri_mismatch", "Bad Request");
      return;
    }
    if (issued.challenge !== undefined) {
      const verifier = form.get("code_verifier") ?? "";
      const computed =
        issued.challengeMethod === "S256"
          ? createHash("sha256").update(verifier).digest("base64url")
          : verifier;
      if (computed !== issued.challenge) {
        oauthError(response, 400, "invalid_grant", "Invalid code verifier.");
        return;
      }
    }
    const grant = issued.grant;
    for (const scope of issued.scopes) grant.scopes.add(scope);
    const refreshToken = `1//${randomBytes(24).toString("base64url")}`;
    state.refreshTokens.set(refreshToken, grant);
    const access = issueAccessToken(state, grant, issued.scopes);
    sendJson(response, 200, {
      access_token: access.token,
      expires_in: state.accessTokenLifetimeSeconds,
      refresh_token: refreshToken,
      scope: issued.scopes.join(" "),
      token_type: "Bearer",
      ...(issued.scopes.includes("openid") ? { id_token: idToken(state, grant) } : {}),
    });
    return;
  }
  if (grantType === "refresh_token") {
    const grant = state.refreshTokens.get(form.get("refresh_token") ?? "");
    if (!grant || grant.revoked) {
      oauthError(response, 400, "invalid_grant", "Token has been expired or revoked.");
      return;
    }
    const scopes = [...grant.scopes];
    const access = issueAccessToken(state, grant, scopes);
    sendJson(response, 200, {
      access_token: access.token,
      expires_in: state.accessTokenLifetimeSeconds,
      scope: scopes.join(" "),
      token_type: "Bearer",
      ...(grant.scopes.has("openid") ? { id_token: idToken(state, grant) } : {}),
    });
    return;
  }
  oauthError(response, 400, "unsupported_grant_type", `Invalid grant_type: ${grantType}`);
}

function revoke(state: StandInState, request: StandInRequest, response: ServerResponse): void {
  const value = request.url.searchParams.get("token") ?? request.form().get("token") ?? "";
  const grant = state.refreshTokens.get(value) ?? state.accessTokens.get(value)?.grant;
  if (!grant || grant.revoked) {
    oauthError(response, 400, "invalid_token", "Token expired or revoked");
    return;
  }
  grant.revoked = true;
  sendJson(response, 200, {});
}

export function issueAccessToken(state: StandInState, grant: Grant, scopes: string[]): AccessToken {
  const access: AccessToken = {
    token: token(),
    grant,
    scopes,
    expiresAt: state.now() + state.accessTokenLifetimeSeconds * 1000,
    invalidated: false,
  };
  state.accessTokens.set(access.token, access);
  return access;
}

function idToken(state: StandInState, grant: Grant): string {
  const account = state.accounts.get(grant.email);
  const issuedAt = Math.floor(state.now() / 1000);
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return [
    encode({ alg: "RS256", kid: "stand-in", typ: "JWT" }),
    encode({
      iss: "https://accounts.google.com",
      azp: state.clientId,
      aud: state.clientId,
      sub: account?.sub ?? "0",
      email: grant.email,
      email_verified: true,
      iat: issuedAt,
      exp: issuedAt + 3600,
    }),
    randomBytes(32).toString("base64url"),
  ].join(".");
}

/**
 * Checks the bearer token of an API request: known, not expired or revoked, and carrying one of the
 * scopes the method accepts. Answers 401/403 as Google does and returns undefined when refused.
 */
export function authenticate(
  state: StandInState,
  request: StandInRequest,
  response: ServerResponse,
  acceptedScopes: string[],
): AccessToken | undefined {
  const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
  const access = bearer ? state.accessTokens.get(bearer) : undefined;
  if (!access || access.invalidated || access.grant.revoked || access.expiresAt <= state.now()) {
    apiError(
      response,
      401,
      "authError",
      "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
      {
        headers: { "www-authenticate": 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
      },
    );
    return undefined;
  }
  const full = acceptedScopes.map((scope) =>
    scope.startsWith("https://") ? scope : `https://www.googleapis.com/auth/${scope}`,
  );
  if (!access.scopes.some((scope) => full.includes(scope))) {
    apiError(response, 403, "insufficientPermissions", "Request had insufficient authentication scopes.");
    return undefined;
  }
  return access;
}
