import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCoworkerCommand } from "../support/slash-command.js";
import { connectLinkRecord } from "./support/google.js";
import { type IntegrationStack, startIntegrationStack } from "./support/stack.js";

/** `/coworker connect|disconnect google` and App Home's "Connected accounts", through the emulator. */
describe("connecting Google from Slack", () => {
  let stack: IntegrationStack;

  beforeAll(async () => {
    stack = await startIntegrationStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  const linkIn = (blocks: unknown): string => {
    const match = /"url":"([^"]+)"/.exec(JSON.stringify(blocks));
    if (!match) throw new Error(`no link button in ${JSON.stringify(blocks)}`);
    return JSON.parse(`"${match[1]}"`) as string;
  };

  it("answers /coworker connect google privately with a link that connects the caller", async () => {
    const { slack, google, database } = stack;
    const alice = slack.users.alice;
    await runCoworkerCommand(slack, alice, "connect google mail");
    const reply = await waitForEphemeral(stack, alice.id, "Connect your Google account");
    expect(reply.text).toContain("Gmail");
    const link = linkIn(reply.blocks);
    expect(await connectLinkRecord(stack, link)).toMatchObject({
      scopes: "gmail.compose gmail.readonly",
      userId: alice.id,
      workspaceId: slack.teamId,
    });

    google.signInAs("alice@example.com");
    expect((await (await stack.browserAs(alice.id)).connect(link)).body).toContain(
      "alice@example.com is connected",
    );
    expect(await database.connectedAccount.count({ where: { userId: alice.id, status: "active" } })).toBe(1);
  });

  it("explains unknown features", async () => {
    const { slack } = stack;
    await runCoworkerCommand(slack, slack.users.bob, "connect google telepathy");
    const reply = await waitForEphemeral(stack, slack.users.bob.id, "I don't know");
    expect(reply.text).toContain("`telepathy`");
  });

  it("shows the connection in App Home: connect, connected, reconnect", async () => {
    const { slack, google } = stack;
    const bob = slack.users.bob;
    await slack.openHome(bob);
    const empty = await waitForHome(stack, bob.id, "Connect Google");
    expect(JSON.stringify(empty)).toContain("Connected accounts");

    google.signInAs("bob@example.com");
    await (await stack.browserAs(bob.id)).connect(linkIn(empty));
    await slack.openHome(bob);
    const connected = await waitForHome(stack, bob.id, "connected as bob@example.com");
    expect(JSON.stringify(connected)).toContain("Gmail, Calendar, Drive and Docs and Sheets");
    expect(JSON.stringify(connected)).toContain("/coworker disconnect google");

    await stack.database.connectedAccount.updateMany({
      where: { userId: bob.id },
      data: { status: "revoked" },
    });
    await slack.openHome(bob);
    await waitForHome(stack, bob.id, "Reconnect Google");
  });

  it("disconnects with /coworker disconnect google, revoking the grant", async () => {
    const { slack, google, database } = stack;
    const alice = slack.users.alice;
    await runCoworkerCommand(slack, alice, "disconnect google");
    const reply = await waitForEphemeral(stack, alice.id, "Disconnected");
    expect(reply.text).toBe(
      "Disconnected alice@example.com: my access is revoked and I no longer keep its tokens.",
    );
    expect(google.state.grants.find((grant) => grant.email === "alice@example.com")?.revoked).toBe(true);
    expect(await database.connectedAccount.count({ where: { userId: alice.id } })).toBe(0);
  });
});

async function waitForEphemeral(stack: IntegrationStack, userId: string, contains: string) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const found = stack.slack.ephemerals({ user: userId }).findLast((item) => item.text.includes(contains));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no ephemeral containing "${contains}" for ${userId}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function waitForHome(stack: IntegrationStack, userId: string, contains: string): Promise<unknown[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const blocks = (stack.slack.homeView(userId)?.definition.blocks ?? []) as unknown[];
    if (JSON.stringify(blocks).includes(contains)) return blocks;
    if (Date.now() > deadline)
      throw new Error(`App Home never showed "${contains}": ${JSON.stringify(blocks)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
