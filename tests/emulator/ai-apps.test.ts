import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SlackEmulator } from "../../src/emulator/index.js";
import { webClient } from "./clients.js";
import { type Receiver, startEmulatorAndReceiver } from "./receiver.js";

let slack: SlackEmulator;
let receiver: Receiver;
let close: () => Promise<void>;

beforeEach(async () => {
  ({ slack, receiver, close } = await startEmulatorAndReceiver());
});
afterEach(() => close());

describe("streaming", () => {
  it("streams a reply through WebClient's chatStream and finishes it with blocks", async () => {
    const client = webClient(slack);
    const question = await slack.mention({ user: "alice", channel: "general", text: "explain" });
    const streamer = client.chatStream({
      channel: slack.channels.general.id,
      thread_ts: question.ts,
      recipient_user_id: slack.users.alice.id,
      recipient_team_id: slack.teamId,
      buffer_size: 5,
    });
    await streamer.append({ markdown_text: "Hello " });
    await streamer.append({ markdown_text: "world" });
    const feedback = [{ type: "context", elements: [{ type: "mrkdwn", text: "Was this helpful?" }] }];
    const stopped = await streamer.stop({ blocks: feedback as never });
    const message = slack.message("general", stopped.ts as string);
    expect(message).toMatchObject({ text: "Hello world", threadTs: question.ts, blocks: feedback });
    expect(message?.stream?.state).toBe("stopped");
    expect(slack.callsTo("chat.appendStream").length).toBeGreaterThan(0);
  });

  it("answers Slack's streaming-state errors", async () => {
    const client = webClient(slack);
    const channel = slack.channels.general.id;
    await expect(client.chat.startStream({ channel, markdown_text: "x" } as never)).rejects.toMatchObject({
      data: { error: "missing_recipient_user_id" },
    });
    const dm = slack.dmChannel("bob").id;
    const started = await client.chat.startStream({ channel: dm, markdown_text: "working" } as never);
    const ts = started.ts as string;
    await expect(client.chat.update({ channel: dm, ts, text: "nope" })).rejects.toMatchObject({
      data: { error: "streaming_state_conflict" },
    });
    await client.chat.stopStream({ channel: dm, ts });
    await expect(client.chat.appendStream({ channel: dm, ts, markdown_text: "more" })).rejects.toMatchObject({
      data: { error: "message_not_in_streaming_state" },
    });
    const plain = await client.chat.postMessage({ channel: dm, text: "plain" });
    await expect(
      client.chat.appendStream({ channel: dm, ts: plain.ts as string, markdown_text: "more" }),
    ).rejects.toMatchObject({ data: { error: "message_not_in_streaming_state" } });
  });
});

describe("assistant threads", () => {
  it("starts an assistant thread and keeps its status, title and suggested prompts", async () => {
    const client = webClient(slack);
    const started = await slack.startAssistantThread({ user: "carol", contextChannel: "general" });
    const event = receiver.events().at(-1)?.event;
    expect(event).toMatchObject({
      type: "assistant_thread_started",
      assistant_thread: {
        user_id: slack.users.carol.id,
        channel_id: started.channel,
        thread_ts: started.threadTs,
        context: { channel_id: slack.channels.general.id, team_id: slack.teamId },
      },
    });
    const thread = { channel_id: started.channel, thread_ts: started.threadTs };
    await client.assistant.threads.setStatus({ ...thread, status: "is thinking…" });
    await client.assistant.threads.setTitle({ ...thread, title: "Quarterly numbers" });
    await client.assistant.threads.setSuggestedPrompts({
      ...thread,
      prompts: [{ title: "Summarize", message: "Summarize the channel" }],
    });
    expect(slack.assistantThread(started.channel, started.threadTs)).toMatchObject({
      status: "is thinking…",
      title: "Quarterly numbers",
      prompts: { prompts: [{ title: "Summarize", message: "Summarize the channel" }] },
    });
    const question = await slack.dm({ user: "carol", text: "what changed?", threadTs: started.threadTs });
    expect(receiver.events().at(-1)?.event).toMatchObject({
      type: "message",
      channel_type: "im",
      thread_ts: started.threadTs,
      ts: question.ts,
    });
    await client.chat.postMessage({
      channel: started.channel,
      thread_ts: started.threadTs,
      text: "Revenue is up",
    });
    expect(slack.assistantThread(started.channel, started.threadTs)?.status).toBeUndefined();
    await expect(
      client.assistant.threads.setStatus({ channel_id: started.channel, thread_ts: "123.456", status: "x" }),
    ).rejects.toMatchObject({ data: { error: "invalid_thread_ts" } });
  });
});
