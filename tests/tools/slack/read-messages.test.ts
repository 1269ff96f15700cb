import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMessagesTool } from "../../../src/tools/slack/read-messages.js";
import { call, type SlackToolStack, startSlackToolStack } from "./stack.js";

let stack: SlackToolStack;

beforeAll(async () => {
  stack = await startSlackToolStack();
});
afterAll(async () => {
  await stack.close();
});

describe("read_messages", () => {
  it("reads a channel's recent messages, oldest first, with ts, author and reactions, as untrusted data", async () => {
    const { slack } = stack;
    const first = await slack.post({
      user: slack.users.bob,
      channel: slack.channels.random,
      text: "lunch at noon?",
    });
    await slack.post({
      user: slack.users.carol,
      channel: slack.channels.random,
      text: "yes, the usual place",
    });
    await slack.react({
      user: slack.users.alice,
      channel: slack.channels.random,
      ts: first.ts,
      name: "thumbsup",
    });

    const result = await call(readMessagesTool, { channel: "#random", limit: 5 }, stack.context());

    expect(result.untrusted).toBe(true);
    expect(result.content).toContain("from #random, oldest first (source: Slack");
    expect(result.content.indexOf("lunch at noon?")).toBeLessThan(result.content.indexOf("the usual place"));
    expect(result.content).toContain(`[ts ${first.ts},`);
    expect(result.content).toContain(`bob (<@${slack.users.bob.id}>)`);
    expect(result.content).toContain("Reactions: :thumbsup: 1");
  });

  it("reads a thread through conversations.replies when the coworker has no log of it", async () => {
    const { slack } = stack;
    const root = await slack.post({
      user: slack.users.bob,
      channel: slack.channels.general,
      text: "release plan?",
    });
    await slack.reply({
      user: slack.users.carol,
      channel: slack.channels.general,
      threadTs: root.ts,
      text: "Thursday",
    });
    const before = slack.callsTo("conversations.replies").length;

    const result = await call(readMessagesTool, { channel: "general", thread_ts: root.ts }, stack.context());

    expect(slack.callsTo("conversations.replies").length).toBe(before + 1);
    expect(result.content).toContain(`2 messages from the thread ${root.ts} in #general`);
    expect(result.content).toContain("release plan?");
    expect(result.content).toContain("Thursday");
  });

  it("reads the thread it was asked in from its own log, without a history call", async () => {
    const { slack, database } = stack;
    const threadTs = "1700000100.000100";
    const task = await database.task.create({
      data: {
        workspace: { connectOrCreate: { where: { id: slack.teamId }, create: { id: slack.teamId } } },
        channel: slack.channels.general.id,
        threadTs,
        requesterId: slack.users.alice.id,
        source: "mention",
      },
    });
    await database.run.create({
      data: {
        taskId: task.id,
        workspaceId: slack.teamId,
        channel: slack.channels.general.id,
        triggerTs: threadTs,
        requesterId: slack.users.alice.id,
        prompt: "summarize the budget discussion",
      },
    });
    await database.threadMessage.createMany({
      data: [
        { ts: "1700000101.000100", userId: slack.users.bob.id, text: "budget is 10k" },
        { ts: "1700000102.000100", botId: "self", text: "Noted: 10k." },
      ].map((row) => ({ ...row, workspaceId: slack.teamId, channel: slack.channels.general.id, threadTs })),
    });
    const before = slack.callsTo("conversations.replies").length;

    const result = await call(readMessagesTool, {}, stack.context({ threadTs }));

    expect(slack.callsTo("conversations.replies").length).toBe(before);
    expect(result.content).toContain("source: your own log of this thread");
    expect(result.content).toMatch(
      /summarize the budget discussion[\s\S]*budget is 10k[\s\S]*you \(Coworker\):\nNoted: 10k\./,
    );
    expect(result.untrusted).toBe(true);
  });

  it("refuses channels the coworker is not in", async () => {
    const { slack } = stack;
    await expect(
      call(readMessagesTool, { channel: slack.channels.withoutBot.id }, stack.context()),
    ).rejects.toThrow(/I'm not a member of #watercooler/);
  });

  it("refuses a private channel the requester is not in, and allows it for a member", async () => {
    const { slack } = stack;
    const secret = slack.addChannel({
      name: "secret-project",
      isPrivate: true,
      members: [slack.users.bob.id],
      withBot: true,
    });
    await slack.post({ user: slack.users.bob, channel: secret, text: "the secret plan" });

    await expect(call(readMessagesTool, { channel: "#secret-project" }, stack.context())).rejects.toThrow(
      /not visible to the person who asked/,
    );
    const forBob = await call(
      readMessagesTool,
      { channel: secret.id },
      stack.context({ userId: slack.users.bob.id }),
    );
    expect(forBob.content).toContain("the secret plan");
  });

  it("refuses someone else's direct messages with the coworker", async () => {
    const { slack } = stack;
    const bobDm = slack.dmChannel(slack.users.bob);
    await expect(call(readMessagesTool, { channel: bobDm.id }, stack.context())).rejects.toThrow(
      /direct message between me and someone else/,
    );
    await expect(
      call(readMessagesTool, { channel: `<@${slack.users.bob.id}>` }, stack.context()),
    ).rejects.toThrow(/only use the direct messages between me and the person who asked/);
  });
});
