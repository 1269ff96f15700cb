import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectLink } from "../../src/integrations/google/connect-link.js";
import { scopesOfFeatures } from "../../src/integrations/google/scopes.js";
import { createBrowser } from "./support/browser.js";
import { type IntegrationStack, startIntegrationStack } from "./support/stack.js";

/**
 * The OAuth authorization-code flow with PKCE, through the web role's routes and the Google stand-in,
 * driven by a browser over HTTP: connect link -> /oauth/google/start -> consent -> callback.
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
    const browser = createBrowser();
    const visit = await browser.visit(linkFor(slack.users.alice.id));

    expect(visit.status).toBe(200);
    expect(visit.body).toContain(`${email} is connected`);
    const consent = new URL(visit.hops[1]!);
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
    const flow = await database.oAuthFlow.findFirstOrThrow({ where: { userId: slack.users.alice.id } });
    expect(flow.usedAt).not.toBeNull();
    expect(flow.codeVerifierSealed.startsWith("v1.")).toBe(true);
    expect(google.errors).toEqual([]);
  });

  it("accepts each callback once", async () => {
    const { google, slack } = stack;
    google.signInAs("bob@example.com");
    const browser = createBrowser();
    const callbackUrl = (
      await browser.visit(linkFor(slack.users.bob.id), {
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
    const browser = createBrowser();
    const callbackUrl = new URL(
      (await browser.visit(linkFor(slack.users.carol.id), { stopAt: (url) => url.includes("/callback") }))
        .url,
    );

    const tampered = new URL(callbackUrl);
    const [nonce, signature] = (tampered.searchParams.get("state") ?? "").split(".");
    tampered.searchParams.set("state", `${nonce}.${signature!.slice(0, -2)}AA`);
    expect((await browser.visit(tampered.href)).body).toContain("Something did not match");

    const stranger = createBrowser();
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
    const { slack, services, publicUrl } = stack;
    const forged = new URL(linkFor(slack.users.alice.id));
    forged.searchParams.set("user", slack.users.bob.id);
    const browser = createBrowser();
    const refused = await browser.visit(forged.href);
    expect(refused.status).toBe(400);
    expect(refused.body).toContain("This link is not valid");

    const old = connectLink(
      { publicUrl, key: services.keys.links, lifetimeMs: 60_000, now: Date.now() - 120_000 },
      { workspaceId: slack.teamId, userId: slack.users.alice.id, scopes: ["gmail.readonly"] },
    );
    const expired = await browser.visit(old);
    expect(expired.status).toBe(400);
    expect(expired.body).toContain("This link has expired");
  });

  it("connects nothing when the person says no", async () => {
    const { google, slack, database } = stack;
    const user = slack.addUser({ name: "dave" });
    google.signInAs("dave@example.com", "deny");
    const visit = await createBrowser().visit(linkFor(user.id));
    expect(visit.status).toBe(200);
    expect(visit.body).toContain("You did not allow access");
    expect(await database.connectedAccount.count({ where: { userId: user.id } })).toBe(0);
  });
});
