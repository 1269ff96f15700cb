import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkId } from "../../src/integrations/google/connect-link.js";
import { scopesOfFeatures } from "../../src/integrations/google/scopes.js";
import { type IntegrationStack, startIntegrationStack } from "./support/stack.js";

/**
 * The OAuth authorization-code flow with PKCE, through the web role's routes, the Slack emulator
 * (Sign in with Slack) and the Google stand-in, driven by a browser over HTTP: connect link ->
 * interstitial -> Continue -> Slack sign-in -> consent -> callback. (Who may use a link:
 * tests/security/google-connect-links.test.ts.)
 */
describe("connecting a Google account", () => {
  let stack: IntegrationStack;
  const email = "alice@example.com";

  beforeAll(async () => {
    stack = await startIntegrationStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  const linkFor = (userId: string, features: Parameters<typeof scopesOfFeatures>[0] = ["mail", "calendar"]) =>
    stack.integration.connectLink({
      workspaceId: stack.slack.teamId,
      userId,
      scopes: scopesOfFeatures(features),
    });

  it("connects with PKCE and a signed state, and stores the grant sealed", async () => {
    const { google, database, slack } = stack;
    google.signInAs(email);
    const visit = await (await stack.browserAs(slack.users.alice.id)).connect(
      await linkFor(slack.users.alice.id),
    );

    expect(visit.status).toBe(200);
    expect(visit.body).toContain(`${email} is connected`);
    const consent = new URL(visit.hops.find((hop) => hop.startsWith(google.url))!);
    expect(consent.origin + consent.pathname).toBe(google.endpoints.authorize);
    expect(consent.searchParams.get("code_challenge_method")).toBe("S256");
    expect(consent.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(consent.searchParams.get("access_type")).toBe("offline");
    expect(consent.searchParams.get("include_granted_scopes")).toBe("true");
    expect(consent.searchParams.get("scope")?.split(" ").sort()).toEqual(
      [
        "email",
        "openid",
        "https://www.googleapis.com/auth/calendar.events",
        "https://www.googleapis.com/auth/calendar.events.freebusy",
        "https://www.googleapis.com/auth/gmail.compose",
        "https://www.googleapis.com/auth/gmail.readonly",
      ].sort(),
    );

    const account = await database.connectedAccount.findFirstOrThrow({
      where: { userId: slack.users.alice.id, provider: "google" },
    });
    expect(account).toMatchObject({ workspaceId: slack.teamId, externalId: email, status: "active" });
    expect(account.scopes.split(" ")).toEqual(
      expect.arrayContaining(["gmail.readonly", "gmail.compose", "calendar.events", "email", "openid"]),
    );
    // Sealed at rest: the stored value is not the token, and unseals to the token Google issued.
    const issued = [...google.state.refreshTokens.keys()];
    expect(issued).toHaveLength(1);
    expect(account.refreshTokenSealed).not.toContain(issued[0]);
    expect(stack.services.sealer.unseal(account.refreshTokenSealed!)).toBe(issued[0]);
    const flow = await database.oAuthFlow.findFirstOrThrow({
      where: { userId: slack.users.alice.id, provider: "google" },
    });
    expect(flow.usedAt).not.toBeNull();
    expect(flow.codeVerifierSealed.startsWith("v1.")).toBe(true);
    expect(google.errors).toEqual([]);
  });

  it("accepts each callback once", async () => {
    const { google, slack } = stack;
    google.signInAs("bob@example.com");
    const browser = await stack.browserAs(slack.users.bob.id);
    const callbackUrl = (
      await browser.connect(await linkFor(slack.users.bob.id), {
        stopAt: (url) => url.includes("/oauth/google/callback"),
      })
    ).url;
    const first = await browser.visit(callbackUrl);
    expect(first.status).toBe(200);
    const replay = await browser.visit(callbackUrl);
    expect(replay.status).toBe(400);
    expect(replay.body).toContain("already used or has expired");
  });

  it("refuses a tampered state, another browser, and an expired flow", async () => {
    const { google, slack, database } = stack;
    google.signInAs("carol@example.com");
    const browser = await stack.browserAs(slack.users.carol.id);
    const callbackUrl = new URL(
      (
        await browser.connect(await linkFor(slack.users.carol.id), {
          stopAt: (url) => url.includes("/oauth/google/callback"),
        })
      ).url,
    );

    const tampered = new URL(callbackUrl);
    const [nonce, signature] = (tampered.searchParams.get("state") ?? "").split(".");
    tampered.searchParams.set("state", `${nonce}.${signature!.slice(0, -2)}AA`);
    expect((await browser.visit(tampered.href)).body).toContain("Something did not match");

    const stranger = await stack.browserAs(slack.users.carol.id);
    const elsewhere = await stranger.visit(callbackUrl.href);
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body).toContain("same browser");

    await database.oAuthFlow.update({
      where: { id: nonce! },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const late = await browser.visit(callbackUrl.href);
    expect(late.status).toBe(400);
    expect(late.body).toContain("expired");
    expect(await database.connectedAccount.count({ where: { userId: slack.users.carol.id } })).toBe(0);
  });

  it("refuses forged and expired connect links", async () => {
    const { slack, database } = stack;
    const browser = await stack.browserAs(slack.users.alice.id);
    const forged = new URL(await linkFor(slack.users.alice.id));
    forged.searchParams.set("link", `${forged.searchParams.get("link")!.slice(0, -2)}AA`);
    const refused = await browser.connect(forged.href);
    expect(refused.status).toBe(400);
    expect(refused.body).toContain("This link is not valid");

    const old = await linkFor(slack.users.alice.id);
    await database.connectLink.update({
      where: { id: linkId(new URL(old).searchParams.get("link")!) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const expired = await browser.connect(old);
    expect(expired.status).toBe(400);
    expect(expired.body).toContain("This link has expired");
  });

  it("connects nothing when the person says no", async () => {
    const { google, slack, database } = stack;
    const user = slack.addUser({ name: "dave" });
    google.signInAs("dave@example.com", "deny");
    const visit = await (await stack.browserAs(user.id)).connect(await linkFor(user.id));
    expect(visit.status).toBe(200);
    expect(visit.body).toContain("You did not allow access");
    expect(await database.connectedAccount.count({ where: { userId: user.id } })).toBe(0);
  });
});
