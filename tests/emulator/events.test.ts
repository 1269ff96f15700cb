import { verifySlackRequest } from "@slack/bolt";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { SlackEmulator, SlackEmulatorOptions } from "../../src/emulator/index.js";
import { webClient } from "./clients.js";
import { type Answer, type ReceivedRequest, type Receiver, startEmulatorAndReceiver } from "./receiver.js";

/**
 * The rules of Slack's event wrapper schema (slackapi/slack-api-specs,
 * events-api/slack_common_event_wrapper_schema.json) plus the documented `authorizations` array.
 */
const eventWrapper = z.looseObject({
  token: z.string(),
  team_id: z.string().regex(/^T[A-Z0-9]+$/),
  api_app_id: z.string().regex(/^A[A-Z0-9]+$/),
  event: z.looseObject({ type: z.string(), event_ts: z.string().regex(/^\d+\.\d{6}$/) }),
  type: z.literal("event_callback"),
  event_id: z.string().regex(/^Ev[A-Z0-9]+$/),
  event_time: z.number().int(),
  authed_users: z
    .array(z.string())
    .min(1)
    .refine((users) => new Set(users).size === users.length, "unique"),
  authorizations: z
    .array(
      z.object({
        enterprise_id: z.string().nullable(),
        team_id: z.string(),
        user_id: z.string(),
        is_bot: z.boolean(),
        is_enterprise_install: z.boolean(),
      }),
    )
    .min(1),
});

let slack: SlackEmulator;
let receiver: Receiver;
let close: () => Promise<void>;

async function setUp(answer?: (request: ReceivedRequest) => Answer, options: SlackEmulatorOptions = {}) {
  ({ slack, receiver, close } = await startEmulatorAndReceiver(answer, options));
}
afterEach(() => close());

describe("event deliveries", () => {
  it("signs every request so that Bolt's verifySlackRequest accepts it", async () => {
    await setUp();
    await slack.mention({ user: "alice", channel: "general", text: "hello" });
    expect(receiver.requests.length).toBeGreaterThan(0);
    for (const request of receiver.requests) {
      expect(() =>
        verifySlackRequest({
          signingSecret: slack.signingSecret,
          body: request.body,
          headers: {
            "x-slack-signature": request.headers["x-slack-signature"] as string,
            "x-slack-request-timestamp": Number(request.headers["x-slack-request-timestamp"]),
          },
        }),
      ).not.toThrow();
    }
  });

  it("sends a channel mention as both app_mention and message, with distinct event ids", async () => {
    await setUp();
    const result = await slack.mention({ user: "alice", channel: "general", text: "summarize this" });
    const events = receiver.events();
    for (const envelope of events) expect(eventWrapper.safeParse(envelope).success).toBe(true);
    expect(events.map((envelope) => envelope.event.type).sort()).toEqual(["app_mention", "message"]);
    expect(new Set(events.map((envelope) => envelope.event_id)).size).toBe(2);
    expect(result.eventIds.sort()).toEqual(events.map((envelope) => envelope.event_id as string).sort());
    const message = events.find((envelope) => envelope.event.type === "message")?.event;
    expect(message).toMatchObject({
      channel: slack.channels.general.id,
      channel_type: "channel",
      user: slack.users.alice.id,
      text: `<@${slack.botUserId}> summarize this`,
      ts: result.ts,
    });
    expect(message?.client_msg_id).toEqual(expect.any(String));
    expect(events[0]).toMatchObject({
      team_id: slack.teamId,
      api_app_id: slack.appId,
      authorizations: [{ team_id: slack.teamId, user_id: slack.botUserId, is_bot: true }],
    });
  });

  it("sends nothing for a channel the bot is not in", async () => {
    await setUp();
    const result = await slack.mention({ user: "bob", channel: slack.channels.withoutBot, text: "anyone?" });
    expect(result.eventIds).toEqual([]);
    expect(receiver.requests).toHaveLength(0);
  });

  it("sends DMs as message events with channel_type im, and thread replies with thread_ts", async () => {
    await setUp();
    const dm = await slack.dm({ user: "carol", text: "hi bot" });
    const parent = await slack.post({ user: "bob", channel: "general", text: "a question" });
    await slack.reply({ user: "alice", channel: "general", threadTs: parent.ts, text: "an answer" });
    const events = receiver.events().map((envelope) => envelope.event);
    expect(events.some((event) => event.type === "app_mention")).toBe(false);
    expect(events[0]).toMatchObject({
      type: "message",
      channel: dm.channel,
      channel_type: "im",
      text: "hi bot",
    });
    expect(events[2]).toMatchObject({
      thread_ts: parent.ts,
      parent_user_id: slack.users.bob.id,
      text: "an answer",
    });
  });

  it("echoes the bot's own posts as message events with bot_id and no subtype", async () => {
    await setUp();
    const posted = await webClient(slack).chat.postMessage({
      channel: slack.channels.general.id,
      text: "from the bot",
    });
    await slack.waitFor(() => receiver.events().length === 1);
    const event = receiver.events()[0]?.event;
    expect(event).toMatchObject({
      type: "message",
      bot_id: slack.botId,
      user: slack.botUserId,
      ts: posted.ts,
    });
    expect(event).not.toHaveProperty("subtype");
  });

  it("retries an unanswered event with X-Slack-Retry-Num 1..3 and the same body", async () => {
    await setUp(() => ({ delayMs: 1000 }), { eventTimeoutMs: 100, retryDelaysMs: [10, 10, 10] });
    const result = await slack.dm({ user: "alice", text: "are you there?" });
    const [delivery] = await result.settled;
    expect(receiver.requests.map((request) => request.headers["x-slack-retry-num"])).toEqual([
      undefined,
      "1",
      "2",
      "3",
    ]);
    expect(new Set(receiver.requests.map((request) => request.body)).size).toBe(1);
    expect(receiver.requests[1]?.headers["x-slack-retry-reason"]).toBe("http_timeout");
    expect(delivery).toMatchObject({ status: "failed" });
    expect(delivery?.attempts.map((attempt) => attempt.outcome)).toEqual([
      "http_timeout",
      "http_timeout",
      "http_timeout",
      "http_timeout",
    ]);
  });

  it("retries after an HTTP error with reason http_error, and stops on success", async () => {
    let calls = 0;
    await setUp(() => ({ status: calls++ === 0 ? 500 : 200 }), { retryDelaysMs: [10, 10, 10] });
    const result = await slack.dm({ user: "alice", text: "hello" });
    const [delivery] = await result.settled;
    expect(receiver.requests.map((request) => request.headers["x-slack-retry-reason"])).toEqual([
      undefined,
      "http_error",
    ]);
    expect(delivery?.status).toBe("acked");
  });

  it("honours X-Slack-No-Retry", async () => {
    await setUp(() => ({ status: 500, headers: { "X-Slack-No-Retry": "1" } }), {
      retryDelaysMs: [10, 10, 10],
    });
    const result = await slack.dm({ user: "alice", text: "hello" });
    await result.settled;
    expect(receiver.requests).toHaveLength(1);
  });

  it("drops deliveries when told to", async () => {
    await setUp();
    const fault = slack.faults.dropEvents({ count: 1 });
    const first = await slack.dm({ user: "alice", text: "lost" });
    await slack.dm({ user: "alice", text: "found" });
    expect(first.deliveries[0]?.status).toBe("dropped");
    expect(receiver.events().map((envelope) => envelope.event.text)).toEqual(["found"]);
    expect(fault.hits).toBe(1);
  });

  it("fails attempts when told to, and retries them on Slack's schedule", async () => {
    await setUp(undefined, { retryDelaysMs: [10, 10, 10] });
    const fault = slack.faults.failEvents({ count: 2, eventTypes: ["message"] });
    const result = await slack.dm({ user: "alice", text: "eventually" });
    const [delivery] = await result.settled;
    expect(delivery?.attempts.map((attempt) => attempt.outcome)).toEqual([
      "connection_failed",
      "connection_failed",
      "acked",
    ]);
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]?.headers["x-slack-retry-num"]).toBe("2");
    expect(fault.hits).toBe(2);
  });

  it("sends reactions and app_home_opened", async () => {
    await setUp();
    const posted = await slack.post({ user: "bob", channel: "general", text: "react" });
    await slack.react({ user: "alice", channel: "general", ts: posted.ts, name: "tada" });
    await slack.openHome("carol");
    const events = receiver.events().map((envelope) => envelope.event);
    expect(events[1]).toMatchObject({
      type: "reaction_added",
      user: slack.users.alice.id,
      reaction: "tada",
      item: { type: "message", channel: slack.channels.general.id, ts: posted.ts },
      item_user: slack.users.bob.id,
    });
    expect(events[2]).toMatchObject({ type: "app_home_opened", user: slack.users.carol.id, tab: "home" });
  });

  it("records events without a request URL instead of failing", async () => {
    await setUp();
    slack.setRequestUrl(undefined);
    const result = await slack.dm({ user: "alice", text: "nobody home" });
    expect(result.deliveries[0]?.status).toBe("undeliverable");
  });
});
