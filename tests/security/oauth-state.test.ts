import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type CreatedWorkspace, type SlackEmulator, startSlackEmulator } from "../../src/emulator/index.js";
import { googleIntegrationFor } from "../../src/integrations/google/integration.js";
import { googleOAuthRoutes } from "../../src/integrations/google/routes.js";
import { scopesOfFeatures } from "../../src/integrations/google/scopes.js";
import { freePort } from "../../src/local/ports.js";
import { startWeb, type WebRole } from "../../src/roles/web.js";
import { createServices, type Services } from "../../src/services.js";
import { createBrowser } from "../integrations/support/browser.js";
import { type AppStack, startAppStack } from "../support/app-stack.js";
import { type GoogleStandIn, startGoogleStandIn } from "../support/google-stand-in.js";
import { testConfig, testDatabase } from "../support/stack.js";

/**
 * The OAuth `state` ties a callback to the flow this app started, in this browser. A tampered,
 * re-signed, unsigned or transplanted state is refused before any code is exchanged, and nothing is
 * installed or connected; the untouched state, in the browser that started the flow, still works
 * afterwards (so the refusals were not just a broken flow).
 */
const slackStateCookie = "slack-app-oauth-state";
const googleFlowCookie = "coworker_google_flow";
const slackSignInCookie = "coworker_slack_signin";

describe("Slack install: OAuth state", () => {
  let stack: AppStack;
  let second: CreatedWorkspace;
  /** Bolt's installer reports each refusal on the console: kept here, and checked. */
  const reported: string[] = [];

  beforeAll(async () => {
    vi.spyOn(console, "error").mockImplementation((...parts: unknown[]) => {
      reported.push(parts.map(String).join(" "));
    });
    const port = await freePort();
    const app = { clientId: "1111111111.2222222222", clientSecret: "slack-client-secret-for-state-tests" };
    stack = await startAppStack({
      reply: () => ({ text: "ok" }),
      emulator: { app },
      env: {
        PORT: String(port),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        SLACK_CLIENT_ID: app.clientId,
        SLACK_CLIENT_SECRET: app.clientSecret,
      },
    });
    second = await stack.slack.createWorkspace({ name: "Second Workspace", install: "oauth" });
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await stack?.close();
  });

  it("refuses tampered, re-signed and unsigned states, and a state without its browser cookie", async () => {
    const { slack, database, running } = stack;
    const install = await fetch(`${running.webUrl}/slack/install`, { redirect: "manual" });
    const authorize = new URL(install.headers.get("location") ?? "");
    const state = authorize.searchParams.get("state") ?? "";
    const consent = await fetch(authorize, { redirect: "manual" });
    const callback = new URL(consent.headers.get("location") ?? "");
    const code = callback.searchParams.get("code") ?? "";
    expect(state.split(".")).toHaveLength(3);
    expect(code).not.toBe("");

    const [header, payload, signature] = state.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
    const changedClaims = base64url(JSON.stringify({ ...claims, random: 1 }));
    const forgedStates = {
      "signature altered": `${header}.${payload}.${flip(signature)}`,
      "claims altered, signature kept": `${header}.${changedClaims}.${signature}`,
      "signed with a guessed secret": hs256(JSON.stringify(claims), "guessed-state-secret"),
      'unsigned ("alg": "none")': `${base64url(JSON.stringify({ alg: "none", typ: "JWT" }))}.${payload}.`,
      "not a token": "state",
    };
    for (const [what, forged] of Object.entries(forgedStates)) {
      // The attacker controls their own browser, so the cookie matches the forged state.
      const response = await redirectBack(forged, code, forged);
      expect(response.status, what).toBe(400);
      expect(await response.text(), what).toContain("slack_oauth_invalid_state");
    }
    // The genuine state, sent to someone else's browser (login CSRF): no cookie, or another flow's.
    const other = await fetch(`${running.webUrl}/slack/install`, { redirect: "manual" });
    const otherState = new URL(other.headers.get("location") ?? "").searchParams.get("state") ?? "";
    for (const cookie of [undefined, otherState]) {
      const response = await redirectBack(state, code, cookie);
      expect(response.status).toBe(400);
    }
    expect(slack.callsTo("oauth.v2.access")).toHaveLength(0);
    expect(await database.workspace.findUnique({ where: { id: second.teamId } })).toBeNull();
    expect(reported.length).toBeGreaterThanOrEqual(Object.keys(forgedStates).length + 2);
    expect(reported.every((line) => line.includes("InvalidStateError"))).toBe(true);

    // The untouched state in the browser that started the flow still installs the app.
    const genuine = await redirectBack(state, code, state);
    expect(genuine.status).toBe(200);
    expect(slack.callsTo("oauth.v2.access")).toHaveLength(1);
    expect(await database.workspace.findUnique({ where: { id: second.teamId } })).not.toBeNull();
  });

  function redirectBack(state: string, code: string, cookie: string | undefined): Promise<Response> {
    const url = new URL(`${stack.running.webUrl}/slack/oauth_redirect`);
    url.searchParams.set("code", code);
    url.searchParams.set("state", state);
    return fetch(url, {
      redirect: "manual",
      headers: cookie === undefined ? {} : { cookie: `${slackStateCookie}=${cookie}` },
    });
  }
});

describe("Google connect: OAuth state", () => {
  let slack: SlackEmulator;
  let google: GoogleStandIn;
  let services: Services;
  let web: WebRole;

  beforeAll(async () => {
    slack = await startSlackEmulator();
    google = await startGoogleStandIn();
    const { url } = await testDatabase();
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const config = {
      ...testConfig({
        DATABASE_URL: url,
        SLACK_API_URL: slack.apiUrl,
        SLACK_BOT_TOKEN: slack.botToken ?? "",
        SLACK_SIGNING_SECRET: slack.signingSecret,
        HOST: "127.0.0.1",
        PORT: String(port),
        PUBLIC_URL: publicUrl,
        SLACK_CLIENT_ID: slack.clientId,
        SLACK_CLIENT_SECRET: slack.clientSecret,
      }),
      google: {
        clientId: google.clientId,
        clientSecret: google.clientSecret,
        apiRootUrl: google.url,
        endpoints: google.endpoints,
      },
    };
    google.allowRedirect(`${publicUrl}/oauth/google/callback`);
    services = createServices(config);
    const integration = googleIntegrationFor(services);
    if (!integration) throw new Error("Google settings were not picked up");
    web = await startWeb(services, { port, routes: googleOAuthRoutes(integration) });
  });
  afterAll(async () => {
    await web?.close();
    await services?.close();
    await google?.close();
    await slack?.close();
  });

  /**
   * Follows a connect link (signed in to Slack as its user) to the edge of one of our callbacks: the
   * Slack sign-in's or Google's. Its URL and the browser's cookie for that step.
   */
  async function startFlow(
    userId: string,
    step: "slack" | "google" = "google",
  ): Promise<{ callback: URL; cookie: string }> {
    const integration = googleIntegrationFor(services)!;
    const link = await integration.connectLink({
      workspaceId: slack.teamId,
      userId,
      scopes: scopesOfFeatures(["mail"]),
    });
    const browser = createBrowser();
    await browser.visit(slack.signInUrl(userId));
    const path = step === "slack" ? "/oauth/google/slack-callback" : "/oauth/google/callback";
    const stopped = await browser.connect(link, { stopAt: (url) => url.includes(path) });
    expect(stopped.status).toBe(302);
    const name = step === "slack" ? slackSignInCookie : googleFlowCookie;
    const cookie = browser.cookies(new URL(link).origin).get(name) ?? "";
    expect(cookie).not.toBe("");
    return { callback: new URL(stopped.url), cookie };
  }

  function finish(
    callback: URL,
    state: string,
    cookie: string | undefined,
    name = googleFlowCookie,
  ): Promise<Response> {
    const url = new URL(callback);
    url.searchParams.set("state", state);
    return fetch(url, {
      redirect: "manual",
      headers: cookie ? { cookie: `${name}=${cookie}` } : {},
    });
  }

  it("refuses tampered and transplanted Sign in with Slack states without exchanging the code", async () => {
    const carol = slack.users.carol.id;
    const mine = await startFlow(carol, "slack");
    const theirs = await startFlow(slack.users.bob.id, "slack");
    const state = mine.callback.searchParams.get("state") ?? "";
    const [nonce, signature] = state.split(".") as [string, string];
    const [otherNonce, otherSignature] = (theirs.callback.searchParams.get("state") ?? "").split(".") as [
      string,
      string,
    ];
    const exchangesBefore = slack.callsTo("openid.connect.token").length;
    const refusals: Array<[string, string, string | undefined]> = [
      ["signature altered", `${nonce}.${flip(signature)}`, mine.cookie],
      ["signature missing", nonce, mine.cookie],
      ["another flow's signature", `${nonce}.${otherSignature}`, mine.cookie],
      ["another flow's nonce", `${otherNonce}.${signature}`, mine.cookie],
      ["no browser cookie", state, undefined],
      ["another browser", state, theirs.cookie],
    ];
    for (const [what, tampered, cookie] of refusals) {
      const response = await finish(mine.callback, tampered, cookie, slackSignInCookie);
      expect(response.status, what).toBe(400);
    }
    expect(slack.callsTo("openid.connect.token")).toHaveLength(exchangesBefore);
    const googleAsked = google.requests.filter((request) => request.path.includes("auth")).length;

    // The untouched state in the browser that started it goes on to Google, once.
    const genuine = await finish(mine.callback, state, mine.cookie, slackSignInCookie);
    expect(genuine.status).toBe(303);
    expect(genuine.headers.get("location")).toContain(google.endpoints.authorize);
    const replay = await finish(mine.callback, state, mine.cookie, slackSignInCookie);
    expect(replay.status).toBe(400);
    expect(google.requests.filter((request) => request.path.includes("auth")).length).toBe(googleAsked);
  });

  it("refuses tampered and transplanted states without exchanging the code", async () => {
    const alice = slack.users.alice.id;
    google.signInAs("alice@example.com");
    const mine = await startFlow(alice);
    google.signInAs("mallory@example.com");
    const theirs = await startFlow(slack.users.bob.id);
    const state = mine.callback.searchParams.get("state") ?? "";
    const [nonce, signature] = state.split(".") as [string, string];
    const [otherNonce, otherSignature] = (theirs.callback.searchParams.get("state") ?? "").split(".") as [
      string,
      string,
    ];
    const exchangesBefore = google.requests.filter((request) => request.path.endsWith("/token")).length;

    const refusals: Array<[string, string, string | undefined]> = [
      ["signature altered", `${nonce}.${flip(signature)}`, mine.cookie],
      ["signature missing", nonce, mine.cookie],
      ["another flow's signature", `${nonce}.${otherSignature}`, mine.cookie],
      ["another flow's nonce", `${otherNonce}.${signature}`, mine.cookie],
      ["an extra part", `${state}.extra`, mine.cookie],
      // A genuine state in a browser that did not start the flow (no cookie, or another flow's).
      ["no browser cookie", state, undefined],
      ["another browser", state, theirs.cookie],
    ];
    for (const [what, tampered, cookie] of refusals) {
      const response = await finish(mine.callback, tampered, cookie);
      expect(response.status, what).toBe(400);
    }
    const exchangesAfter = google.requests.filter((request) => request.path.endsWith("/token")).length;
    expect(exchangesAfter).toBe(exchangesBefore);
    expect(await services.database.connectedAccount.count()).toBe(0);

    // The untouched state in the browser that started the flow still connects the account.
    const genuine = await finish(mine.callback, state, mine.cookie);
    expect(genuine.status).toBe(200);
    const account = await services.database.connectedAccount.findFirstOrThrow({ where: { userId: alice } });
    expect(account.externalId).toBe("alice@example.com");
  });
});

function flip(text: string): string {
  const last = text.at(-2) === "A" ? "B" : "A";
  return `${text.slice(0, -2)}${last}${text.at(-1)}`;
}

function base64url(text: string): string {
  return Buffer.from(text).toString("base64url");
}

/** A JWT signed with HS256 under `secret`. */
function hs256(claims: string, secret: string): string {
  const head = `${base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${base64url(claims)}`;
  return `${head}.${createHmac("sha256", secret).update(head).digest("base64url")}`;
}
