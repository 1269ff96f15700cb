import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findMessagesTool } from "../../../src/tools/slack/find-messages.js";
import { lookUpPeopleTool } from "../../../src/tools/slack/look-up-people.js";
import { call, type SlackToolStack, startSlackToolStack } from "./stack.js";

let stack: SlackToolStack;

beforeAll(async () => {
  stack = await startSlackToolStack();
});
afterAll(async () => {
  await stack.close();
});

describe("find_messages", () => {
  it("finds matches in the channel's recent history and in logged threads the requester can see", async () => {
    const { slack, database } = stack;
    const recent = await slack.post({
      user: slack.users.bob,
      channel: slack.channels.general,
      text: "The Launch date moved to May 3",
    });
    await slack.post({ user: slack.users.bob, channel: slack.channels.general, text: "unrelated chatter" });
    const secret = slack.addChannel({
      name: "board",
      isPrivate: true,
      members: [slack.users.bob.id],
      withBot: true,
    });
    await database.threadMessage.createMany({
      data: [
        {
          workspaceId: slack.teamId,
          channel: slack.channels.random.id,
          threadTs: "1700000200.000100",
          ts: "1700000201.000100",
          userId: slack.users.carol.id,
          text: "launch DATE confirmed with marketing",
        },
        {
          workspaceId: slack.teamId,
          channel: secret.id,
          threadTs: "1700000300.000100",
          ts: "1700000301.000100",
          userId: slack.users.bob.id,
          text: "confidential: launch date depends on funding",
        },
      ],
    });

    const result = await call(findMessagesTool, { query: "launch date" }, stack.context());

    expect(result.untrusted).toBe(true);
    expect(result.content).toContain('2 messages containing "launch date", newest first');
    expect(result.content).toContain(`In #general:\n[ts ${recent.ts}`);
    expect(result.content).toContain("In #random (reply in thread_ts 1700000200.000100)");
    expect(result.content).toContain("launch DATE confirmed with marketing");
    expect(result.content).not.toContain("confidential");
    expect(result.content).not.toContain("unrelated chatter");

    const forBob = await call(
      findMessagesTool,
      { query: "launch date" },
      stack.context({ userId: slack.users.bob.id }),
    );
    expect(forBob.content).toContain("confidential: launch date depends on funding");
  });

  it("says so when nothing matches, and explains a refused channel", async () => {
    const { slack } = stack;
    const none = await call(findMessagesTool, { query: "zebra crossing" }, stack.context());
    expect(none.content).toBe('No messages found containing "zebra crossing".');
    await expect(
      call(findMessagesTool, { query: "x", channel: slack.channels.withoutBot.id }, stack.context()),
    ).rejects.toThrow(/not a member/);
  });
});

describe("look_up_people", () => {
  it("finds people by name, email and id", async () => {
    const { slack } = stack;
    const byName = await call(lookUpPeopleTool, { query: "sato" }, stack.context());
    expect(byName.untrusted).toBe(true);
    expect(byName.content).toContain(`<@${slack.users.carol.id}> Carol Sato\n  handle: @carol`);
    expect(byName.content).toContain("time zone: Asia/Tokyo");

    const byEmail = await call(lookUpPeopleTool, { query: "bob@example.com" }, stack.context());
    expect(byEmail.content).toContain(`<@${slack.users.bob.id}>`);
    expect(byEmail.content).not.toContain(slack.users.carol.id);

    const byId = await call(lookUpPeopleTool, { query: `<@${slack.users.alice.id}>` }, stack.context());
    expect(byId.content).toContain("(admin)");
    expect(byId.content).toContain("email: alice@example.com");

    const nobody = await call(lookUpPeopleTool, { query: "U00000000" }, stack.context());
    expect(nobody.content).toBe('Nobody found for "U00000000".');
  });
});
