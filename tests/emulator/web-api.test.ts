import type { webApi } from "@slack/bolt";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type SlackEmulator, startSlackEmulator } from "../../src/emulator/index.js";
import { webClient } from "./clients.js";

let slack: SlackEmulator;
let client: webApi.WebClient;

beforeEach(async () => {
  slack = await startSlackEmulator();
  client = webClient(slack);
});

afterEach(async () => {
  await slack.close();
});

/** A raw POST, to see exactly what goes over the wire. */
async function post(method: string, body: string, headers: Record<string, string>) {
  const response = await fetch(`${slack.apiUrl}${method}`, { method: "POST", body, headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("identity and directory", () => {
  it("answers auth.test with the workspace and the bot", async () => {
    const result = await client.auth.test();
    expect(result).toMatchObject({
      ok: true,
      team_id: slack.teamId,
      user_id: slack.botUserId,
      bot_id: slack.botId,
    });
  });

  it("describes users with their time zone and admin flag", async () => {
    const alice = await client.users.info({ user: slack.users.alice.id });
    expect(alice.user).toMatchObject({ tz: "America/New_York", is_admin: true, name: "alice" });
    expect(typeof alice.user?.tz_offset).toBe("number");
    const bob = await client.users.info({ user: slack.users.bob.id });
    expect(bob.user).toMatchObject({ tz: "Europe/Berlin", is_admin: false });
    const list = await client.users.list({});
    expect(list.members?.map((member) => member.id)).toEqual(
      expect.arrayContaining([slack.users.alice.id, slack.users.carol.id, slack.botUserId]),
    );
  });

  it("lists the channels the bot can see and opens DMs", async () => {
    const list = await client.conversations.list({ types: "public_channel,im" });
    const general = list.channels?.find((channel) => channel.id === slack.channels.general.id);
    const watercooler = list.channels?.find((channel) => channel.id === slack.channels.withoutBot.id);
    expect(general?.is_member).toBe(true);
    expect(watercooler?.is_member).toBe(false);
    const opened = await client.conversations.open({ users: slack.users.bob.id });
    expect(opened.channel?.id).toBe(slack.dmChannel("bob").id);
    const info = await client.conversations.info({ channel: opened.channel?.id as string });
    expect(info.channel).toMatchObject({ is_im: true, user: slack.users.bob.id });
  });
});

describe("messages", () => {
  it("posts, threads, and returns metadata only with include_all_metadata", async () => {
    const channel = slack.channels.general.id;
    const parent = await client.chat.postMessage({
      channel,
      text: "parent",
      metadata: { event_type: "run_started", event_payload: { run: "r1" } },
    });
    await client.chat.postMessage({ channel, text: "reply", thread_ts: parent.ts as string });
    const plain = await client.conversations.history({ channel });
    expect(plain.messages?.[0]).not.toHaveProperty("metadata");
    expect(plain.messages?.[0]).toMatchObject({ text: "parent", reply_count: 1, bot_id: slack.botId });
    const withMetadata = await client.conversations.history({ channel, include_all_metadata: true });
    expect(withMetadata.messages?.[0]?.metadata).toEqual({
      event_type: "run_started",
      event_payload: { run: "r1" },
    });
    const replies = await client.conversations.replies({
      channel,
      ts: parent.ts as string,
      include_all_metadata: true,
    });
    expect(replies.messages?.map((message) => message.text)).toEqual(["parent", "reply"]);
    expect(replies.messages?.[1]?.thread_ts).toBe(parent.ts);
  });

  it("files a reply to a reply in the parent's thread and records a notice", async () => {
    const channel = slack.channels.general.id;
    const parent = await client.chat.postMessage({ channel, text: "parent" });
    const reply = await client.chat.postMessage({ channel, text: "first", thread_ts: parent.ts as string });
    const nested = await client.chat.postMessage({ channel, text: "second", thread_ts: reply.ts as string });
    expect(nested.message?.thread_ts).toBe(parent.ts);
    expect(slack.thread(channel, parent.ts as string).map((message) => message.text)).toEqual([
      "parent",
      "first",
      "second",
    ]);
    expect(slack.notices.map((notice) => notice.code)).toContain("thread_ts_is_reply");
  });

  it("rejects a malformed thread_ts and hides a message posted to an unknown thread", async () => {
    const channel = slack.channels.general.id;
    await expect(client.chat.postMessage({ channel, text: "x", thread_ts: "0" })).rejects.toMatchObject({
      data: { ok: false, error: "invalid_thread_ts" },
    });
    const orphan = await client.chat.postMessage({ channel, text: "lost", thread_ts: "1600000000.000100" });
    expect(orphan.ok).toBe(true);
    expect(slack.messages(channel).map((message) => message.text)).not.toContain("lost");
    expect(slack.notices.at(-1)?.code).toBe("thread_ts_not_found");
  });

  it("truncates text over 40,000 characters with a warning", async () => {
    const result = await client.chat.postMessage({
      channel: slack.channels.general.id,
      text: "a".repeat(40_010),
    });
    expect(result.warning).toBe("message_truncated");
    expect(slack.message(slack.channels.general.id, result.ts as string)?.text).toHaveLength(40_000);
  });

  it("updates and deletes the bot's messages, and refuses other people's", async () => {
    const channel = slack.channels.general.id;
    const posted = await client.chat.postMessage({ channel, text: "draft" });
    await client.chat.update({ channel, ts: posted.ts as string, text: "final" });
    expect(slack.message(channel, posted.ts as string)).toMatchObject({
      text: "final",
      edited: { user: slack.botUserId },
    });
    const human = await slack.post({ user: "alice", channel, text: "mine" });
    await expect(client.chat.update({ channel, ts: human.ts, text: "hacked" })).rejects.toMatchObject({
      data: { error: "cant_update_message" },
    });
    await client.chat.delete({ channel, ts: posted.ts as string });
    expect(slack.message(channel, posted.ts as string)).toBeUndefined();
    await expect(client.chat.delete({ channel, ts: posted.ts as string })).rejects.toMatchObject({
      data: { error: "message_not_found" },
    });
  });

  it("posts ephemerals, permalinks and reactions", async () => {
    const channel = slack.channels.general.id;
    const ephemeral = await client.chat.postEphemeral({ channel, user: slack.users.bob.id, text: "psst" });
    expect(slack.ephemerals({ user: "bob" })).toMatchObject([{ ts: ephemeral.message_ts, text: "psst" }]);
    const posted = await client.chat.postMessage({ channel, text: "react to me" });
    const link = await client.chat.getPermalink({ channel, message_ts: posted.ts as string });
    expect(link.permalink).toBe(
      `${slack.url}/archives/${channel}/p${(posted.ts as string).replace(".", "")}`,
    );
    await client.reactions.add({ channel, timestamp: posted.ts as string, name: "eyes" });
    await expect(
      client.reactions.add({ channel, timestamp: posted.ts as string, name: "eyes" }),
    ).rejects.toMatchObject({
      data: { error: "already_reacted" },
    });
    expect(slack.reactions(channel, posted.ts as string)).toEqual([
      { name: "eyes", users: [slack.botUserId] },
    ]);
    await client.reactions.remove({ channel, timestamp: posted.ts as string, name: "eyes" });
    expect(slack.reactions(channel, posted.ts as string)).toEqual([]);
  });
});

describe("errors", () => {
  it("answers auth failures with HTTP 200 and Slack's error shape", async () => {
    const missing = await post("auth.test", "", { "content-type": "application/x-www-form-urlencoded" });
    expect(missing).toEqual({
      status: 200,
      body: { ok: false, error: "not_authed", response_metadata: { messages: [] } },
    });
    const wrong = await post("auth.test", "token=xoxb-nope", {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(wrong.body).toMatchObject({ ok: false, error: "invalid_auth" });
  });

  it("knows channel_not_found and not_in_channel", async () => {
    await expect(client.chat.postMessage({ channel: "C0NOPE", text: "x" })).rejects.toMatchObject({
      data: { error: "channel_not_found" },
    });
    await expect(
      client.chat.postMessage({ channel: slack.channels.withoutBot.id, text: "x" }),
    ).rejects.toMatchObject({ data: { error: "not_in_channel" } });
    await expect(
      client.conversations.history({ channel: slack.channels.withoutBot.id }),
    ).rejects.toMatchObject({
      data: { error: "not_in_channel" },
    });
  });

  it("reports Block Kit limits as invalid_blocks with json-pointer messages", async () => {
    const tooMany = Array.from({ length: 51 }, () => ({ type: "divider" }));
    await expect(
      client.chat.postMessage({ channel: slack.channels.general.id, text: "x", blocks: tooMany }),
    ).rejects.toMatchObject({
      data: {
        error: "invalid_blocks",
        response_metadata: { messages: ["[ERROR] no more than 50 items allowed [json-pointer:/blocks]"] },
      },
    });
    const blocks = [
      { type: "section", text: { type: "mrkdwn", text: "x".repeat(3001) } },
      {
        type: "actions",
        block_id: "b".repeat(256),
        elements: [
          {
            type: "button",
            action_id: "go",
            text: { type: "plain_text", text: "Go" },
            value: "v".repeat(2001),
          },
        ],
      },
    ];
    const answer = await post(
      "chat.postMessage",
      JSON.stringify({ channel: slack.channels.general.id, blocks }),
      {
        authorization: `Bearer ${slack.botToken}`,
        "content-type": "application/json",
      },
    );
    expect(answer.body.error).toBe("invalid_blocks");
    expect((answer.body.response_metadata as { messages: string[] }).messages).toEqual([
      "[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]",
      "[ERROR] must be less than 256 characters [json-pointer:/blocks/1/block_id]",
      "[ERROR] must be less than 2001 characters [json-pointer:/blocks/1/elements/0/value]",
    ]);
  });

  it("accepts form bodies with JSON-string fields and a token field", async () => {
    const form = new URLSearchParams({
      token: slack.botToken as string,
      channel: slack.channels.general.id,
      text: "from a form",
      blocks: JSON.stringify([{ type: "section", text: { type: "mrkdwn", text: "*hi*" } }]),
    });
    const answer = await post("chat.postMessage", form.toString(), {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(answer.body).toMatchObject({ ok: true, channel: slack.channels.general.id });
    const stored = slack.message(slack.channels.general.id, answer.body.ts as string);
    expect(stored?.blocks).toEqual([{ type: "section", text: { type: "mrkdwn", text: "*hi*" } }]);
  });

  it("logs every call with its arguments (token left out) and answer", async () => {
    await client.chat.postMessage({ channel: slack.channels.general.id, text: "logged" });
    const [call] = slack.callsTo("chat.postMessage");
    expect(call?.args).toMatchObject({ channel: slack.channels.general.id, text: "logged" });
    expect(call?.args).not.toHaveProperty("token");
    expect(call?.response).toMatchObject({ ok: true });
  });
});
