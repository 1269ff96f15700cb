import { createHmac } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorCore } from "./core.js";
import { sendText } from "./server/http-server.js";
import type { User } from "./state/types.js";

/**
 * Sign in with Slack (OpenID Connect), as https://slack.com/openid/connect/authorize does it: the
 * browser is signed in to Slack as one person (a cookie on the emulator's origin, set by
 * `/openid/connect/sign-in?user=U…` or by picking a person on the authorize page, as "Acting as"
 * does in the UI), and the authorize page hands the app a code for that person. The app exchanges
 * it with `openid.connect.token` (web-api/methods/openid.ts) for an id_token and a user token.
 */
export interface OpenIdCode {
  teamId: string;
  userId: string;
  clientId: string;
  redirectUri: string;
  nonce: string | undefined;
  /** The scopes asked for (`openid`, and `email`/`profile` for those claims). */
  scopes: string[];
  used: boolean;
  issuedAt: number;
}

export interface OpenIdState {
  codes: Map<string, OpenIdCode>;
  /** User tokens handed out by openid.connect.token, for openid.connect.userInfo. */
  tokens: Map<string, { teamId: string; userId: string; scopes: string[] }>;
}

export const signedInCookie = "emulator_slack_user";
export const authorizePath = "/openid/connect/authorize";
export const signInPath = "/openid/connect/sign-in";

export function createOpenIdState(): OpenIdState {
  return { codes: new Map(), tokens: new Map() };
}

/** Handles the browser side of Sign in with Slack; false when the path is not one of its pages. */
export function handleOpenIdPage(
  core: EmulatorCore,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): boolean {
  if (request.method !== "GET") return false;
  if (url.pathname === signInPath) {
    const user = person(core, url.searchParams.get("user"));
    if (!user) {
      sendText(response, 400, "no such person");
      return true;
    }
    response.writeHead(200, { "content-type": "text/plain; charset=utf-8", "set-cookie": cookieFor(user) });
    response.end(`Signed in to Slack as ${user.realName} (${user.id})`);
    return true;
  }
  if (url.pathname !== authorizePath) return false;
  const query = url.searchParams;
  const redirectUri = query.get("redirect_uri");
  if (query.get("client_id") !== core.app.clientId || !redirectUri) {
    sendText(response, 400, "invalid_client_id or missing redirect_uri");
    return true;
  }
  const scopes = (query.get("scope") ?? "").split(/[ ,]+/).filter(Boolean);
  if (query.get("response_type") !== "code" || !scopes.includes("openid")) {
    sendText(response, 400, "invalid_request: response_type=code and scope=openid are required");
    return true;
  }
  const chosen = person(core, query.get("as"));
  const user = chosen ?? person(core, signedInUser(request));
  if (!user) {
    chooser(core, response, url);
    return true;
  }
  const code = `${core.ids.digits(12)}.${core.ids.digits(13)}.${core.ids.hex(40)}`;
  core.openid.codes.set(code, {
    teamId: user.teamId,
    userId: user.id,
    clientId: core.app.clientId,
    redirectUri,
    nonce: query.get("nonce") ?? undefined,
    scopes,
    used: false,
    issuedAt: core.now(),
  });
  const target = new URL(redirectUri);
  target.searchParams.set("code", code);
  const state = query.get("state");
  if (state) target.searchParams.set("state", state);
  response.writeHead(302, {
    location: target.toString(),
    ...(chosen ? { "set-cookie": cookieFor(chosen) } : {}),
  });
  response.end();
  return true;
}

/** The id_token's claims for a person, as Slack issues them (also openid.connect.userInfo's fields). */
export function identityClaims(core: EmulatorCore, user: User, scopes: string[]): Record<string, unknown> {
  const team = core.store.directory.team(user.teamId);
  return {
    sub: user.id,
    "https://slack.com/user_id": user.id,
    "https://slack.com/team_id": user.teamId,
    ...(user.email && scopes.includes("email") ? { email: user.email, email_verified: true } : {}),
    ...(scopes.includes("profile") ? { name: user.realName } : {}),
    "https://slack.com/team_name": team?.name,
    "https://slack.com/team_domain": team?.domain,
  };
}

/**
 * A JWT with the identity claims. Slack signs with RS256 (keys at /openid/connect/keys); the
 * emulator signs with HS256 under the client secret: a token taken straight from the token endpoint
 * needs no signature check (OpenID Connect Core 3.1.3.7), and the app does none.
 */
export function idToken(core: EmulatorCore, grant: OpenIdCode, user: User): string {
  const issuedAt = Math.floor(core.now() / 1000);
  const claims = {
    iss: "https://slack.com",
    aud: grant.clientId,
    iat: issuedAt,
    exp: issuedAt + 3600,
    auth_time: issuedAt,
    ...(grant.nonce ? { nonce: grant.nonce } : {}),
    ...identityClaims(core, user, grant.scopes),
  };
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const head = `${encode({ alg: "HS256", typ: "JWT" })}.${encode(claims)}`;
  return `${head}.${createHmac("sha256", core.app.clientSecret).update(head).digest("base64url")}`;
}

function person(core: EmulatorCore, id: string | null | undefined): User | undefined {
  const user = id ? core.store.directory.user(id) : undefined;
  return user && !user.isBot && !user.deleted ? user : undefined;
}

function signedInUser(request: IncomingMessage): string | undefined {
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const [name, value] = part.trim().split("=");
    if (name === signedInCookie) return value;
  }
  return undefined;
}

function cookieFor(user: User): string {
  return `${signedInCookie}=${user.id}; Path=/; HttpOnly; SameSite=Lax`;
}

/** Nobody is signed in in this browser: pick who you are (as "Acting as" does in the UI). */
function chooser(core: EmulatorCore, response: ServerResponse, url: URL): void {
  const team = url.searchParams.get("team");
  const teams = core.store.directory.allTeams().filter((item) => !team || item.id === team);
  const items = teams.flatMap((item) =>
    core.store.directory
      .usersOf(item.id)
      .filter((user) => !user.isBot && !user.deleted)
      .map((user) => {
        const target = new URL(url);
        target.searchParams.set("as", user.id);
        return `<li><a href="${escapeHtml(target.pathname + target.search)}">${escapeHtml(user.realName)} (${escapeHtml(item.name)})</a></li>`;
      }),
  );
  response.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  response.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in to Slack</title></head><body><h1>Sign in to ${escapeHtml(core.app.name)} with Slack</h1><p>Who are you?</p><ul>${items.join("")}</ul></body></html>`,
  );
}

function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}
