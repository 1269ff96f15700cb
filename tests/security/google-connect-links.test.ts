import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { beginAuthorization } from "../../src/integrations/google/authorization.js";
import { linkId } from "../../src/integrations/google/connect-link.js";
import { scopesOfFeatures } from "../../src/integrations/google/scopes.js";
import { createBrowser } from "../integrations/support/browser.js";
import { type IntegrationStack, startIntegrationStack } from "../integrations/support/stack.js";

/**
 * Who a Google connect link connects (issue 14): an attacker sent a colleague their own link; the
 * colleague signed in to Google, and the attacker's Slack user held the colleague's mailbox. Now a
 * link works once, for ten minutes, and only after the browser signs in with Slack as the link's
 * user; the person is told by DM which Google account was connected; a Google address that differs
 * from the Slack profile's is refused. Through the web role, the Slack emulator (Sign in with Slack)
 * and the Google stand-in.
 */
describe("Google connect links", () => {
  let stack: IntegrationStack;

  beforeAll(async () => {
    stack = await startIntegrationStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  const linkFor = (userId: string) =>
    stack.integration.connectLink({
      workspaceId: stack.slack.teamId,
      userId,
      scopes: scopesOfFeatures(["mail"]),
    });
  const googleAuthorizeRequests = () =>
    stack.google.requests.filter((request) => stack.google.endpoints.authorize.endsWith(request.path)).length;
  const accountsOf = (userId: string) => stack.database.connectedAccount.count({ where: { userId } });

  it("an attacker's link opened by a victim connects nothing: refused at Sign in with Slack", async () => {
    const { slack, google } = stack;
    const mallory = slack.addUser({ name: "mallory", realName: "Mallory Mole" });
    const link = await linkFor(mallory.id);
    google.signInAs("alice@example.com");
    const asked = googleAuthorizeRequests();

    const victim = await stack.browserAs(slack.users.alice.id);
    const visit = await victim.connect(link);
    // The page before Slack names whose link it is.
    expect(visit.page.body).toContain("Mallory Mole");
    expect(visit.page.body).toContain(slack.name);
    expect(visit.hops.some((hop) => hop.startsWith(slack.openIdAuthorizeUrl))).toBe(true);
    expect(visit.status).toBe(403);
    expect(visit.body).toContain("This link is not yours");
    // Google was never asked, and nothing is connected to anyone.
    expect(googleAuthorizeRequests()).toBe(asked);
    expect(await accountsOf(mallory.id)).toBe(0);
    expect(await accountsOf(slack.users.alice.id)).toBe(0);

    // The same link sent on to a second victim is dead.
    const second = await (await stack.browserAs(slack.users.bob.id)).connect(link);
    expect(second.status).toBe(410);
    expect(googleAuthorizeRequests()).toBe(asked);
    expect(await accountsOf(mallory.id)).toBe(0);
  });

  it("a link works once: the second use is refused", async () => {
    const { slack, google } = stack;
    const carol = slack.users.carol.id;
    google.signInAs("carol@example.com");
    const link = await linkFor(carol);
    const browser = await stack.browserAs(carol);
    const first = await browser.connect(link);
    expect(first.body).toContain("carol@example.com is connected");

    for (const again of [browser, await stack.browserAs(carol), createBrowser()]) {
      const replay = await again.connect(link);
      expect(replay.status).toBe(410);
      expect(replay.body).toContain("This link was already used");
    }
    // Pressing Continue on the page from before (a second tab) is refused too.
    const stale = await browser.submit(first.page);
    expect(stale.status).toBe(410);
    expect(await accountsOf(carol)).toBe(1);
  });

  it("a link lasts ten minutes; an expired one is refused, also at Continue", async () => {
    const { slack, database } = stack;
    const bob = slack.users.bob.id;
    const link = await linkFor(bob);
    const id = linkId(new URL(link).searchParams.get("link")!);
    const row = await database.connectLink.findUniqueOrThrow({ where: { id } });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeLessThanOrEqual(10 * 60 * 1000 + 1000);

    const browser = await stack.browserAs(bob);
    const shown = await browser.visit(link);
    expect(shown.status).toBe(200);
    await database.connectLink.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const late = await browser.submit(shown);
    expect(late.status).toBe(400);
    expect(late.body).toContain("This link has expired");
    const reopened = await browser.visit(link);
    expect(reopened.body).toContain("This link has expired");
    expect(await accountsOf(bob)).toBe(0);
  });

  it("the Google callback refuses a flow whose link was not verified by Sign in with Slack", async () => {
    const { slack, google, integration } = stack;
    const frank = slack.addUser({ name: "frank" });
    google.signInAs("frank@example.com");
    const link = await linkFor(frank.id);
    // Used up (Continue pressed) but never verified: the Google step started behind the sign-in's back.
    const id = linkId(new URL(link).searchParams.get("link")!);
    await stack.database.connectLink.update({ where: { id }, data: { usedAt: new Date() } });
    const started = await beginAuthorization(integration.deps, integration.accounts, {
      workspaceId: slack.teamId,
      userId: frank.id,
      scopes: scopesOfFeatures(["mail"]),
      linkId: id,
    });
    const consent = await createBrowser().visit(started.url, {
      stopAt: (url) => url.includes("/oauth/google/callback"),
    });
    const callback = await fetch(consent.url, {
      redirect: "manual",
      headers: { cookie: `coworker_google_flow=${started.nonce}` },
    });
    expect(callback.status).toBe(400);
    expect(await accountsOf(frank.id)).toBe(0);
  });

  it("tells the person by DM which Google account was connected", async () => {
    const { slack, google } = stack;
    const dana = slack.addUser({ name: "dana" });
    google.signInAs("dana@example.com");
    const visit = await (await stack.browserAs(dana.id)).connect(await linkFor(dana.id));
    expect(visit.body).toContain("dana@example.com is connected");
    const notice = await slack.waitForMessage({ channel: slack.dmChannel(dana).id, from: "bot" });
    expect(notice.text).toContain("dana@example.com");
    expect(notice.text).toContain("disconnect google");
  });

  it("refuses a Google account whose address differs from the Slack profile's, or flags it when the workspace says so", async () => {
    const { slack, google, database } = stack;
    const erin = slack.addUser({ name: "erin" });
    google.signInAs("erin.private@gmail.example");
    const refused = await (await stack.browserAs(erin.id)).connect(await linkFor(erin.id));
    expect(refused.status).toBe(403);
    expect(refused.body).toContain("does not match your Slack profile");
    expect(refused.body).toContain("erin@example.com");
    expect(await accountsOf(erin.id)).toBe(0);
    // The grant Google issued for the refused account was ended, not kept.
    const grants = google.state.grants.filter((grant) => grant.email === "erin.private@gmail.example");
    expect(grants.length).toBeGreaterThan(0);
    expect(grants.every((grant) => grant.revoked)).toBe(true);

    await database.workspace.upsert({
      where: { id: slack.teamId },
      create: { id: slack.teamId, policy: { googleEmailMismatch: "flag" } },
      update: { policy: { googleEmailMismatch: "flag" } },
    });
    try {
      const flagged = await (await stack.browserAs(erin.id)).connect(await linkFor(erin.id));
      expect(flagged.body).toContain("erin.private@gmail.example is connected");
      const notice = await slack.waitForMessage({
        channel: slack.dmChannel(erin).id,
        from: "bot",
        contains: "not the address on your Slack profile",
      });
      expect(notice.text).toContain("erin.private@gmail.example");
    } finally {
      await database.workspace.update({ where: { id: slack.teamId }, data: { policy: {} } });
    }
  });
});

describe("Google connect links without Sign in with Slack configured", () => {
  let stack: IntegrationStack;

  beforeAll(async () => {
    stack = await startIntegrationStack({ slackSignIn: false });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("refuses to connect rather than skip the check, and says what to set", async () => {
    const { slack, google, database } = stack;
    google.signInAs("alice@example.com");
    const link = await stack.integration.connectLink({
      workspaceId: slack.teamId,
      userId: slack.users.alice.id,
      scopes: scopesOfFeatures(["mail"]),
    });
    const browser = await stack.browserAs(slack.users.alice.id);
    const shown = await browser.visit(link);
    expect(shown.status).toBe(503);
    expect(shown.body).toContain("SLACK_CLIENT_ID");
    expect(shown.body).not.toContain("<form");
    expect(google.requests).toHaveLength(0);
    expect(await database.connectedAccount.count()).toBe(0);
  });
});
