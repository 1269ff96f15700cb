import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectGoogle, connectLinkRecord, runTool, toolContext } from "./support/google.js";
import { type IntegrationStack, startIntegrationStack } from "./support/stack.js";

/**
 * Per-person Google accounts: each run uses only its requester's account; access tokens are refreshed
 * (and persisted sealed) when expired or refused; a revoked grant turns into a reconnect message and a
 * private link, not a failure loop; missing scopes are asked for incrementally; disconnect revokes.
 */
describe("Google accounts per person", () => {
  let stack: IntegrationStack;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    stack = await startIntegrationStack();
    alice = stack.slack.users.alice.id;
    bob = stack.slack.users.bob.id;
    stack.google.addMail("alice@example.com", {
      from: "ceo@example.com",
      to: "alice@example.com",
      subject: "Alice's budget",
      text: "for alice",
    });
    stack.google.addMail("bob@example.com", {
      from: "hr@example.com",
      to: "bob@example.com",
      subject: "Bob's review",
      text: "for bob",
    });
    await connectGoogle(stack, alice, "alice@example.com");
    await connectGoogle(stack, bob, "bob@example.com");
  });
  afterAll(async () => {
    await stack?.close();
  });

  const account = (userId: string) =>
    stack.database.connectedAccount.findFirstOrThrow({ where: { userId, provider: "google" } });

  it("uses only the requester's own account", async () => {
    const asAlice = await runTool(stack, "gmail_search", { query: "in:inbox" }, toolContext(stack, alice));
    const asBob = await runTool(stack, "gmail_search", { query: "in:inbox" }, toolContext(stack, bob));
    expect(asAlice.content).toContain("Alice's budget");
    expect(asAlice.content).not.toContain("Bob's review");
    expect(asBob.content).toContain("Bob's review");
    expect(asBob.content).not.toContain("Alice's budget");
  });

  it("refreshes an expired access token and stores the new one sealed", async () => {
    const before = await account(alice);
    await stack.database.connectedAccount.update({
      where: { id: before.id },
      data: { accessTokenExpiresAt: new Date(Date.now() - 60_000) },
    });
    const refreshes = () => stack.google.requests.filter((request) => request.path === "/token").length;
    const count = refreshes();
    const result = await runTool(stack, "gmail_search", { query: "budget" }, toolContext(stack, alice));
    expect(result.isError).toBeFalsy();
    expect(refreshes()).toBe(count + 1);
    const after = await account(alice);
    expect(after.accessTokenSealed).not.toBe(before.accessTokenSealed);
    expect(after.accessTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 30 * 60_000);
    const token = stack.services.sealer.unseal(after.accessTokenSealed!);
    expect(stack.google.state.accessTokens.get(token)?.grant.email).toBe("alice@example.com");
    expect(after.accessTokenSealed).not.toContain(token);
  });

  it("refreshes when Google refuses an access token early (401) and retries the call once", async () => {
    stack.google.invalidateAccessTokens("bob@example.com");
    const start = stack.google.requests.length;
    const result = await runTool(stack, "gmail_search", { query: "review" }, toolContext(stack, bob));
    expect(result.content).toContain("Bob's review");
    const statuses = stack.google.requests.slice(start).map((request) => `${request.path} ${request.status}`);
    expect(statuses.slice(0, 3)).toEqual([
      "/gmail/v1/users/me/messages 401",
      "/token 200",
      "/gmail/v1/users/me/messages 200",
    ]);
  });

  it("turns a revoked grant into a reconnect link, once, without calling Google again", async () => {
    const carol = stack.slack.users.carol.id;
    await connectGoogle(stack, carol, "carol@example.com", ["mail"]);
    stack.google.revokeGrant("carol@example.com");
    const context = toolContext(stack, carol);
    const first = await runTool(stack, "gmail_search", { query: "anything" }, context);
    expect(first.isError).toBe(true);
    expect(first.content).toContain("has expired or was revoked");
    expect(first.content).toContain("private link");
    const row = await account(carol);
    expect(row).toMatchObject({ status: "revoked", refreshTokenSealed: null, accessTokenSealed: null });

    const ephemerals = stack.slack.ephemerals({ user: carol });
    expect(ephemerals).toHaveLength(1);
    expect(ephemerals[0]!.threadTs).toBe(context.threadTs);
    const button = JSON.stringify(ephemerals[0]!.blocks);
    expect(button).toContain("Connect Google");
    expect(button).toContain("/oauth/google/start?");

    const calls = stack.google.requests.length;
    const second = await runTool(stack, "gmail_read", { messageId: "x" }, context);
    expect(second.content).toContain("has expired or was revoked");
    expect(stack.google.requests.length).toBe(calls);
    expect(stack.slack.ephemerals({ user: carol })).toHaveLength(1);

    // Reconnecting through the offered link makes the account work again.
    stack.google.addMail("carol@example.com", {
      from: "x@example.com",
      to: "carol@example.com",
      subject: "Back again",
      text: "hi",
    });
    stack.google.signInAs("carol@example.com");
    const url = /<([^|>]+)\|/.exec(ephemerals[0]!.text)?.[1] ?? /(http:\S+)/.exec(ephemerals[0]!.text)?.[1];
    expect((await (await stack.browserAs(carol)).connect(url!)).status).toBe(200);
    expect((await account(carol)).status).toBe("active");
    const again = await runTool(stack, "gmail_search", { query: "again" }, toolContext(stack, carol));
    expect(again.content).toContain("Back again");
  });

  it("offers a private connect link to someone who never connected", async () => {
    const dave = stack.slack.addUser({ name: "dave" }).id;
    const channel = stack.slack.addChannel({ name: "dave-team", members: [dave, alice], withBot: true }).id;
    const range = { timeMin: "2025-01-01T00:00:00Z", timeMax: "2025-01-02T00:00:00Z" };
    const result = await runTool(stack, "calendar_list_events", range, toolContext(stack, dave, { channel }));
    expect(result.isError).toBe(true);
    expect(result.content).toContain("has not connected a Google account");
    expect(result.content).toContain("I sent them a private link");
    const [ephemeral] = stack.slack.ephemerals({ user: dave });
    const offered = /(http:\/\/\S+?)(?:[|>\s]|$)/.exec(ephemeral!.text)![1]!;
    expect((await connectLinkRecord(stack, offered)).scopes).toBe("calendar.events.readonly");
    expect(stack.slack.ephemerals({ user: alice, channel })).toHaveLength(0);
  });

  it("falls back to the slash command when the link cannot be posted", async () => {
    const gina = stack.slack.addUser({ name: "gina" }).id;
    // gina is not in #general, so Slack refuses an ephemeral message to her there.
    const result = await runTool(stack, "gmail_search", { query: "x" }, toolContext(stack, gina));
    expect(result.content).toContain("Ask them to run `/coworker connect google`");
    expect(stack.slack.ephemerals({ user: gina })).toHaveLength(0);
  });

  it("asks for missing scopes incrementally and keeps the earlier ones", async () => {
    const erin = stack.slack.addUser({ name: "erin" }).id;
    const channel = stack.slack.addChannel({ name: "erin-team", members: [erin], withBot: true }).id;
    await connectGoogle(stack, erin, "erin@example.com", ["mail"]);
    const context = toolContext(stack, erin, { channel });
    const refused = await runTool(
      stack,
      "sheets_read_range",
      { spreadsheetId: "s1", range: "A1:B2" },
      context,
    );
    expect(refused.content).toContain("has not given me access to Sheets");
    const link = /(http:\/\/\S+?)(?:[|>\s]|$)/.exec(stack.slack.ephemerals({ user: erin })[0]!.text)![1]!;
    expect((await connectLinkRecord(stack, link)).scopes).toBe("spreadsheets.readonly");

    stack.google.signInAs("erin@example.com");
    const visit = await (await stack.browserAs(erin)).connect(link);
    const consent = new URL(visit.hops.find((hop) => hop.startsWith(stack.google.url))!);
    expect(consent.searchParams.get("scope")).toBe(
      "openid email https://www.googleapis.com/auth/spreadsheets.readonly",
    );
    const scopes = (await account(erin)).scopes.split(" ");
    expect(scopes).toEqual(
      expect.arrayContaining(["gmail.readonly", "gmail.compose", "spreadsheets.readonly"]),
    );
  });

  it("disconnecting revokes the grant at Google and forgets the tokens", async () => {
    const frank = stack.slack.addUser({ name: "frank" }).id;
    await connectGoogle(stack, frank, "frank@example.com", ["mail"]);
    const outcome = await stack.integration.disconnect({ workspaceId: stack.slack.teamId, userId: frank });
    expect(outcome).toEqual({ type: "disconnected", email: "frank@example.com", revoked: true });
    expect(stack.google.state.grants.find((grant) => grant.email === "frank@example.com")?.revoked).toBe(
      true,
    );
    expect(await stack.database.connectedAccount.count({ where: { userId: frank } })).toBe(0);
    const after = await runTool(stack, "gmail_search", { query: "x" }, toolContext(stack, frank));
    expect(after.content).toContain("has not connected a Google account");
    expect(await stack.integration.disconnect({ workspaceId: stack.slack.teamId, userId: frank })).toEqual({
      type: "not_connected",
    });
  });
});
