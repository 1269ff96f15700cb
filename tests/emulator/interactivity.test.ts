import { afterEach, describe, expect, it } from "vitest";
import type { SlackEmulator, SlackEmulatorOptions } from "../../src/emulator/index.js";
import { webClient } from "./clients.js";
import { type Answer, type ReceivedRequest, type Receiver, startEmulatorAndReceiver } from "./receiver.js";

let slack: SlackEmulator;
let receiver: Receiver;
let close: () => Promise<void>;

async function setUp(answer?: (request: ReceivedRequest) => Answer, options: SlackEmulatorOptions = {}) {
  ({ slack, receiver, close } = await startEmulatorAndReceiver(answer, options));
}
afterEach(() => close());

const approveBlocks = [
  { type: "section", text: { type: "mrkdwn", text: "Deploy?" } },
  {
    type: "actions",
    block_id: "decision",
    elements: [
      { type: "button", action_id: "approve", text: { type: "plain_text", text: "Approve" }, value: "run-1" },
    ],
  },
];

function payloadOf(request: ReceivedRequest | undefined): Record<string, unknown> {
  const payload = new URLSearchParams(request?.body ?? "").get("payload");
  return JSON.parse(payload ?? "{}");
}

async function respond(url: string, body: Record<string, unknown>) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

describe("slash commands", () => {
  it("sends Slack's form fields and shows the ack as an ephemeral reply", async () => {
    await setUp((request) =>
      request.headers["content-type"] === "application/x-www-form-urlencoded"
        ? { body: JSON.stringify({ text: "Working on it" }), headers: { "content-type": "application/json" } }
        : {},
    );
    const result = await slack.runSlashCommand({
      user: "bob",
      channel: "general",
      command: "/coworker",
      text: "status",
    });
    const form = Object.fromEntries(new URLSearchParams(receiver.requests[0]?.body));
    expect(form).toMatchObject({
      command: "/coworker",
      text: "status",
      user_id: slack.users.bob.id,
      user_name: "bob",
      channel_id: slack.channels.general.id,
      channel_name: "general",
      team_id: slack.teamId,
      api_app_id: slack.appId,
      response_url: result.responseUrl,
      trigger_id: result.triggerId,
    });
    expect(result.acked).toBe(true);
    expect(slack.ephemerals({ user: "bob" }).map((ephemeral) => ephemeral.text)).toEqual(["Working on it"]);
  });

  it("records an ack timeout when the app does not answer in time", async () => {
    await setUp(() => ({ delayMs: 500 }), { ackTimeoutMs: 100 });
    const result = await slack.runSlashCommand({ user: "bob", channel: "general", command: "/coworker" });
    expect(result).toMatchObject({ acked: false, ackTimedOut: true });
    expect(slack.ackTimeouts()).toHaveLength(1);
  });

  it("posts in_channel responses as the bot and limits a response_url to 5 uses", async () => {
    await setUp();
    const { responseUrl } = await slack.runSlashCommand({
      user: "bob",
      channel: "general",
      command: "/coworker",
    });
    const url = responseUrl as string;
    expect(await respond(url, { text: "For everyone", response_type: "in_channel" })).toEqual({
      status: 200,
      body: { ok: true },
    });
    expect(slack.messages("general").at(-1)).toMatchObject({ text: "For everyone", botId: slack.botId });
    for (let use = 2; use <= 5; use += 1) await respond(url, { text: `use ${use}` });
    expect(await respond(url, { text: "too many" })).toMatchObject({
      body: { ok: false, error: "used_url" },
    });
  });
});

describe("block actions", () => {
  it("sends block_actions as a payload= form and lets response_url replace or delete the message", async () => {
    await setUp();
    const client = webClient(slack);
    const posted = await client.chat.postMessage({
      channel: slack.channels.general.id,
      text: "Deploy?",
      blocks: approveBlocks,
    });
    const click = await slack.clickButton({
      user: "alice",
      channel: "general",
      messageTs: posted.ts as string,
      actionId: "approve",
    });
    const request = receiver.requests.find((candidate) => candidate.body.startsWith("payload="));
    expect(request?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    const payload = payloadOf(request);
    expect(payload).toMatchObject({
      type: "block_actions",
      user: { id: slack.users.alice.id, username: "alice", team_id: slack.teamId },
      team: { id: slack.teamId },
      api_app_id: slack.appId,
      container: {
        type: "message",
        message_ts: posted.ts,
        channel_id: slack.channels.general.id,
        is_ephemeral: false,
      },
      channel: { id: slack.channels.general.id, name: "general" },
      message: { ts: posted.ts, text: "Deploy?" },
      trigger_id: click.triggerId,
      response_url: click.responseUrl,
      actions: [{ type: "button", action_id: "approve", block_id: "decision", value: "run-1" }],
    });
    await respond(click.responseUrl as string, { replace_original: true, text: "Approved by alice" });
    expect(slack.message("general", posted.ts as string)).toMatchObject({
      text: "Approved by alice",
      blocks: undefined,
    });
    await expect(
      slack.clickButton({
        user: "bob",
        channel: "general",
        messageTs: posted.ts as string,
        actionId: "approve",
      }),
    ).rejects.toThrow(/no element with action_id approve/);
    const other = await client.chat.postMessage({
      channel: slack.channels.general.id,
      text: "x",
      blocks: approveBlocks,
    });
    const again = await slack.clickButton({
      user: "bob",
      channel: "general",
      messageTs: other.ts as string,
      actionId: "approve",
    });
    expect(again.acked).toBe(true);
    await respond(again.responseUrl as string, { delete_original: true });
    expect(slack.message("general", other.ts as string)).toBeUndefined();
  });

  it("answers a response without replace_original with an ephemeral message to the clicker", async () => {
    await setUp();
    const posted = await webClient(slack).chat.postMessage({
      channel: slack.channels.general.id,
      text: "x",
      blocks: approveBlocks,
    });
    const click = await slack.clickButton({
      user: "carol",
      channel: "general",
      messageTs: posted.ts as string,
      actionId: "approve",
    });
    await respond(click.responseUrl as string, { text: "Only you can see this" });
    expect(slack.ephemerals({ user: "carol" }).map((ephemeral) => ephemeral.text)).toEqual([
      "Only you can see this",
    ]);
    expect(slack.message("general", posted.ts as string)?.text).toBe("x");
  });
});

describe("views", () => {
  const modal = {
    type: "modal",
    callback_id: "feedback",
    title: { type: "plain_text", text: "Feedback" },
    submit: { type: "plain_text", text: "Send" },
    blocks: [
      {
        type: "input",
        block_id: "comment",
        label: { type: "plain_text", text: "Comment" },
        element: { type: "plain_text_input", action_id: "text" },
      },
    ],
  };

  it("opens a modal with a fresh trigger once; a used or expired trigger is refused", async () => {
    await setUp(undefined, { triggerTtlMs: 200 });
    const client = webClient(slack);
    const command = await slack.runSlashCommand({ user: "alice", channel: "general", command: "/coworker" });
    const opened = await client.views.open({ trigger_id: command.triggerId, view: modal as never });
    expect(opened.view).toMatchObject({ type: "modal", callback_id: "feedback" });
    expect(slack.openModal("alice")?.id).toBe(opened.view?.id);
    await expect(
      client.views.open({ trigger_id: command.triggerId, view: modal as never }),
    ).rejects.toMatchObject({
      data: { error: "exchanged_trigger_id" },
    });
    const late = await slack.runSlashCommand({ user: "alice", channel: "general", command: "/coworker" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(
      client.views.open({ trigger_id: late.triggerId, view: modal as never }),
    ).rejects.toMatchObject({
      data: { error: "expired_trigger_id" },
    });
    await expect(
      client.views.open({
        trigger_id: "1.2.nope",
        view: { ...modal, title: { type: "plain_text", text: "x".repeat(25) } } as never,
      }),
    ).rejects.toMatchObject({
      data: {
        error: "invalid_arguments",
        response_metadata: {
          messages: ["[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"],
        },
      },
    });
  });

  it("submits a modal; response_action errors keeps it open, an empty ack closes it", async () => {
    let submissions = 0;
    await setUp((request) => {
      if (payloadOf(request).type !== "view_submission") return {};
      submissions += 1;
      return submissions === 1
        ? {
            body: JSON.stringify({ response_action: "errors", errors: { comment: "Too short" } }),
            headers: { "content-type": "application/json" },
          }
        : {};
    });
    const client = webClient(slack);
    const command = await slack.runSlashCommand({ user: "alice", channel: "general", command: "/coworker" });
    await client.views.open({ trigger_id: command.triggerId, view: modal as never });
    const first = await slack.submitView({ user: "alice", values: { comment: { text: "ok" } } });
    expect(first).toMatchObject({ responseAction: "errors", errors: { comment: "Too short" } });
    expect(first.view.open).toBe(true);
    const payload = payloadOf(receiver.requests.at(-1));
    expect(payload).toMatchObject({
      type: "view_submission",
      view: {
        callback_id: "feedback",
        state: { values: { comment: { text: { type: "plain_text_input", value: "ok" } } } },
      },
    });
    const second = await slack.submitView({ user: "alice", values: { comment: { text: "much longer" } } });
    expect(second.view.open).toBe(false);
    expect(slack.openModal("alice")).toBeUndefined();
  });

  it("publishes App Home views per user", async () => {
    await setUp();
    const client = webClient(slack);
    const home = { type: "home", blocks: [{ type: "section", text: { type: "mrkdwn", text: "Welcome" } }] };
    await client.views.publish({ user_id: slack.users.bob.id, view: home as never });
    expect(slack.homeView("bob")?.definition).toMatchObject({ type: "home" });
    await slack.openHome("bob");
    const event = receiver.events().at(-1)?.event;
    expect(event).toMatchObject({ type: "app_home_opened", view: { type: "home", blocks: home.blocks } });
  });
});
