import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metadataType } from "../../../src/slack/thread.js";
import { needsApproval } from "../../../src/tools/policy.js";
import { addReactionTool, reactInThreadTool } from "../../../src/tools/slack/add-reaction.js";
import { getPermalinkTool } from "../../../src/tools/slack/get-permalink.js";
import { postMessageTool } from "../../../src/tools/slack/post-message.js";
import { call, type SlackToolStack, startSlackToolStack } from "./stack.js";

let stack: SlackToolStack;

beforeAll(async () => {
  stack = await startSlackToolStack();
});
afterAll(async () => {
  await stack.close();
});

describe("post_message", () => {
  it("needs approval by default, unless the policy auto-approves it", () => {
    expect(needsApproval(postMessageTool, {})).toBe(true);
    expect(needsApproval(postMessageTool, { autoApprove: ["post_message"] })).toBe(false);
  });

  it("posts to a channel with the call's key in the metadata, and reconcile finds that post again", async () => {
    const { slack } = stack;
    const context = stack.context({ idempotencyKey: "run-a:2:call-7" });
    const input = { channel: "#random", text: "Reminder: *standup* moved to 10:00" };
    expect(await postMessageTool.reconcile?.(postMessageTool.input.parse(input), context)).toBeUndefined();

    const result = await call(postMessageTool, input, context);

    const posted = slack
      .messages(slack.channels.random)
      .filter((message) => message.text.includes("standup"));
    expect(posted).toHaveLength(1);
    expect(posted[0]!.botId).toBe(slack.botId);
    expect(posted[0]!.metadata).toEqual({
      event_type: metadataType,
      event_payload: { key: "run-a:2:call-7" },
    });
    expect(JSON.stringify(posted[0]!.blocks)).toContain(`Sent by Coworker for <@${slack.users.alice.id}>`);
    expect(result.content).toBe(
      `Posted to #random (channel ${slack.channels.random.id}, ts ${posted[0]!.ts}).`,
    );

    const reconciled = await postMessageTool.reconcile?.(postMessageTool.input.parse(input), context);
    expect(reconciled?.content).toBe(result.content);
    expect(
      slack.messages(slack.channels.random).filter((message) => message.text.includes("standup")),
    ).toHaveLength(1);
  });

  it("sends a direct message to a person, and reconciles a reply in a thread", async () => {
    const { slack } = stack;
    const result = await call(
      postMessageTool,
      { channel: `<@${slack.users.carol.id}>`, text: "Your report is ready" },
      stack.context({ idempotencyKey: "run-b:1:call-1" }),
    );
    const dm = slack.dmChannel(slack.users.carol);
    expect(slack.messages(dm).map((message) => message.text)).toEqual(["Your report is ready"]);
    expect(result.content).toContain(`a direct message to <@${slack.users.carol.id}>`);

    const root = await slack.post({
      user: slack.users.bob,
      channel: slack.channels.random,
      text: "question?",
    });
    const threaded = { channel: "random", text: "answer in thread", thread_ts: root.ts };
    const context = stack.context({ idempotencyKey: "run-c:1:call-1" });
    await call(postMessageTool, threaded, context);
    expect(slack.thread(slack.channels.random, root.ts).map((message) => message.text)).toContain(
      "answer in thread",
    );
    const found = await postMessageTool.reconcile?.(postMessageTool.input.parse(threaded), context);
    expect(found?.content).toMatch(/^Posted to #random/);
  });

  it("refuses channels the coworker is not in and apps as DM targets", async () => {
    const { slack } = stack;
    await expect(
      call(postMessageTool, { channel: "#watercooler", text: "hi" }, stack.context()),
    ).rejects.toThrow(/not a member of #watercooler/);
    await expect(
      call(postMessageTool, { channel: slack.botUserId, text: "hi" }, stack.context()),
    ).rejects.toThrow(/is an app/);
    expect(slack.messages(slack.channels.withoutBot).filter((message) => message.text === "hi")).toHaveLength(
      0,
    );
  });
});

describe("reactions and permalinks", () => {
  it("reacts in the run's own thread without approval, and refuses messages elsewhere", async () => {
    const { slack } = stack;
    const root = await slack.post({
      user: slack.users.alice,
      channel: slack.channels.general,
      text: "do the thing",
    });
    const reply = await slack.reply({
      user: slack.users.bob,
      channel: slack.channels.general,
      threadTs: root.ts,
      text: "thanks",
    });
    const elsewhere = await slack.post({
      user: slack.users.bob,
      channel: slack.channels.general,
      text: "other",
    });
    const context = stack.context({ threadTs: root.ts });
    expect(needsApproval(reactInThreadTool, {})).toBe(false);

    await call(reactInThreadTool, { message_ts: root.ts, name: ":white_check_mark:" }, context);
    await call(reactInThreadTool, { message_ts: reply.ts, name: "eyes" }, context);
    // Reacting twice is done, not an error: a re-run after a crash is harmless.
    await call(reactInThreadTool, { message_ts: reply.ts, name: "eyes" }, context);
    await expect(
      call(reactInThreadTool, { message_ts: elsewhere.ts, name: "eyes" }, context),
    ).rejects.toThrow(/not in the thread you were asked in/);

    expect(slack.reactions(slack.channels.general, root.ts).map((reaction) => reaction.name)).toEqual([
      "white_check_mark",
    ]);
    expect(slack.reactions(slack.channels.general, reply.ts)[0]?.users).toEqual([slack.botUserId]);
    expect(slack.reactions(slack.channels.general, elsewhere.ts)).toEqual([]);
  });

  it("adds a reaction anywhere the requester can see only with approval by default", async () => {
    const { slack } = stack;
    const message = await slack.post({
      user: slack.users.bob,
      channel: slack.channels.random,
      text: "shipped!",
    });
    expect(needsApproval(addReactionTool, {})).toBe(true);
    const result = await call(
      addReactionTool,
      { channel: "#random", message_ts: message.ts, name: "tada" },
      stack.context(),
    );
    expect(result.content).toBe(`Reacted :tada: to message ${message.ts} in #random.`);
    expect(slack.reactions(slack.channels.random, message.ts).map((reaction) => reaction.name)).toEqual([
      "tada",
    ]);
  });

  it("gets a message's permalink", async () => {
    const { slack } = stack;
    const message = await slack.post({
      user: slack.users.bob,
      channel: slack.channels.random,
      text: "cite me",
    });
    const result = await call(
      getPermalinkTool,
      { channel: "random", message_ts: message.ts },
      stack.context(),
    );
    expect(result.content).toContain(
      `${slack.url}/archives/${slack.channels.random.id}/p${message.ts.replace(".", "")}`,
    );
    await expect(
      call(getPermalinkTool, { channel: "random", message_ts: "1600000000.000100" }, stack.context()),
    ).rejects.toThrow(/There is no message 1600000000.000100 in #random/);
  });
});
