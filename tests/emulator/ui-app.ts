import type { AddressInfo, Server } from "node:net";
import { App, type BlockAction, type ButtonAction, type types } from "@slack/bolt";
import type { SlackEmulator } from "../../src/emulator/index.js";
import { quietLogger } from "./clients.js";

/** What the demo app heard: clicks as `user:action:value`, and submitted task titles. */
export interface DemoRecord {
  clicks: string[];
  submissions: string[];
}

const approvalBlocks = [
  { type: "header", text: { type: "plain_text", text: "Deploy request" } },
  {
    type: "section",
    text: { type: "mrkdwn", text: ":raised_hand: *Approval needed* to run `deploy` on _production_" },
  },
  {
    type: "markdown",
    text: "**Plan**\n\n1. Build the image\n2. Roll out `web`\n\n| step | time |\n|---|---|\n| build | 2m |",
  },
  { type: "divider" },
  { type: "context", elements: [{ type: "mrkdwn", text: "Requested in <#general>; anyone may decide" }] },
  {
    type: "actions",
    block_id: "approval",
    elements: [
      {
        type: "button",
        action_id: "approve",
        style: "primary",
        text: { type: "plain_text", text: "Approve" },
        value: "yes",
      },
      {
        type: "button",
        action_id: "deny",
        style: "danger",
        text: { type: "plain_text", text: "Deny" },
        value: "no",
        confirm: {
          title: { type: "plain_text", text: "Deny the deploy?" },
          text: { type: "mrkdwn", text: "The run will *stop*." },
          confirm: { type: "plain_text", text: "Deny it" },
          deny: { type: "plain_text", text: "Keep waiting" },
          style: "danger",
        },
      },
    ],
  },
];

/** A modal asking for a task title (block `title`, input `value`); it submits as `task`. */
export const taskModal: types.ModalView = {
  type: "modal",
  callback_id: "task",
  title: { type: "plain_text", text: "New task" },
  submit: { type: "plain_text", text: "Create" },
  blocks: [
    {
      type: "input",
      block_id: "title",
      label: { type: "plain_text", text: "Title" },
      element: { type: "plain_text_input", action_id: "value" },
    },
  ],
};

function homeView(clicks: number) {
  return {
    type: "home",
    blocks: [
      { type: "header", text: { type: "plain_text", text: "Coworker" } },
      { type: "section", text: { type: "mrkdwn", text: `Refreshed *${clicks}* times` } },
      {
        type: "actions",
        elements: [{ type: "button", action_id: "refresh", text: { type: "plain_text", text: "Refresh" } }],
      },
    ],
  };
}

/**
 * A small real Bolt app (HTTP receiver) for the UI tests: answers a mention in its thread with an
 * approval request (buttons, one with a confirm dialog), opens a modal for `/coworker`, publishes an
 * App Home with a button, and answers DMs.
 */
export async function startDemoApp(slack: SlackEmulator): Promise<{ app: App; record: DemoRecord }> {
  const record: DemoRecord = { clicks: [], submissions: [] };
  const app = new App({
    token: slack.botToken,
    signingSecret: slack.signingSecret,
    clientOptions: { slackApiUrl: slack.apiUrl },
    logger: quietLogger,
  });
  app.event("app_mention", async ({ event, client }) => {
    await client.chat.postMessage({
      channel: event.channel,
      thread_ts: event.ts,
      text: "Approval needed to run deploy",
      blocks: approvalBlocks,
    });
  });
  app.message(async ({ message, say }) => {
    if (message.channel_type === "im" && "text" in message) await say(`You wrote me: ${message.text}`);
  });
  for (const actionId of ["approve", "deny"]) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client }) => {
      await ack();
      record.clicks.push(`${body.user.id}:${actionId}:${action.value}`);
      const verdict = actionId === "approve" ? ":white_check_mark: Approved" : ":no_entry_sign: Denied";
      await client.chat.update({
        channel: body.channel?.id as string,
        ts: body.message?.ts as string,
        text: `${verdict} by <@${body.user.id}>`,
        blocks: [{ type: "section", text: { type: "mrkdwn", text: `${verdict} by <@${body.user.id}>` } }],
      });
    });
  }
  app.command("/coworker", async ({ ack, body, client }) => {
    await ack();
    await client.views.open({ trigger_id: body.trigger_id, view: taskModal });
  });
  app.view("task", async ({ ack, view, body, client }) => {
    const title = view.state.values.title?.value?.value ?? "";
    if (title.length < 5) {
      await ack({ response_action: "errors", errors: { title: "Too short: use at least 5 characters" } });
      return;
    }
    await ack();
    record.submissions.push(title);
    await client.chat.postMessage({
      channel: slack.channels.general.id,
      text: `Task created by <@${body.user.id}>: ${title}`,
    });
  });
  let refreshes = 0;
  app.event("app_home_opened", async ({ event, client }) => {
    if (event.tab === "home")
      await client.views.publish({ user_id: event.user, view: homeView(refreshes) as never });
  });
  app.action("refresh", async ({ ack, body, client }) => {
    await ack();
    refreshes += 1;
    await client.views.publish({ user_id: body.user.id, view: homeView(refreshes) as never });
  });
  const server = (await app.start(0)) as Server;
  slack.setRequestUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`);
  return { app, record };
}
