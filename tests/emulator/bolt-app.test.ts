import type { AddressInfo, Server } from "node:net";
import { App, Assistant, type BlockAction, type ButtonAction } from "@slack/bolt";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type SlackEmulator, startSlackEmulator } from "../../src/emulator/index.js";
import { quietLogger } from "./clients.js";
import { taskModal } from "./ui-app.js";

let slack: SlackEmulator;
let app: App;

/** A real, unmodified Bolt app (HTTPReceiver) talking to the emulator over HTTP both ways. */
async function startBolt(configure: (bolt: App) => void): Promise<void> {
  app = new App({
    token: slack.botToken,
    signingSecret: slack.signingSecret,
    clientOptions: { slackApiUrl: slack.apiUrl },
    logger: quietLogger,
  });
  configure(app);
  const server = (await app.start(0)) as Server;
  slack.setRequestUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`);
}

beforeEach(async () => {
  slack = await startSlackEmulator();
});

afterEach(async () => {
  await app.stop();
  await slack.close();
});

describe("a real Bolt app against the emulator", () => {
  it("answers a mention in the thread with a button, and updates the message when it is clicked", async () => {
    const clicks: string[] = [];
    await startBolt((bolt) => {
      bolt.event("app_mention", async ({ event, client }) => {
        await client.chat.postMessage({
          channel: event.channel,
          thread_ts: event.ts,
          text: "Shall I go ahead?",
          blocks: [
            { type: "section", text: { type: "mrkdwn", text: "Shall I go ahead?" } },
            {
              type: "actions",
              block_id: "approval",
              elements: [
                {
                  type: "button",
                  action_id: "approve",
                  text: { type: "plain_text", text: "Approve" },
                  value: "yes",
                },
              ],
            },
          ],
        });
      });
      bolt.action<BlockAction<ButtonAction>>("approve", async ({ ack, body, action, client }) => {
        await ack();
        clicks.push(`${body.user.id}:${action.value}`);
        await client.chat.update({
          channel: body.channel?.id as string,
          ts: body.message?.ts as string,
          text: `Approved by <@${body.user.id}>`,
          blocks: [],
        });
      });
    });

    const mention = await slack.mention({ user: "alice", channel: "general", text: "deploy the fix" });
    const question = await slack.waitForMessage({
      channel: "general",
      threadTs: mention.ts,
      from: "bot",
      contains: "Shall I go ahead?",
    });
    expect(question.blocks?.[1]).toMatchObject({ type: "actions", block_id: "approval" });

    const click = await slack.clickButton({
      user: "bob",
      channel: "general",
      messageTs: question.ts,
      actionId: "approve",
    });
    expect(click.acked).toBe(true);
    await slack.waitFor(() => slack.message("general", question.ts)?.text.startsWith("Approved"));
    expect(slack.message("general", question.ts)).toMatchObject({
      text: `Approved by <@${slack.users.bob.id}>`,
      blocks: undefined,
      threadTs: mention.ts,
    });
    expect(clicks).toEqual([`${slack.users.bob.id}:yes`]);
    // Bolt acked both events of the mention (app_mention and message) and ignored its own echo.
    await slack.idle();
    expect(slack.events().every((delivery) => delivery.status === "acked")).toBe(true);
    expect(slack.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("opens a modal from a slash command and validates the submission", async () => {
    await startBolt((bolt) => {
      bolt.command("/coworker", async ({ ack, body, client }) => {
        await ack();
        await client.views.open({ trigger_id: body.trigger_id, view: taskModal });
      });
      bolt.view("task", async ({ ack, view }) => {
        const title = view.state.values.title?.value?.value ?? "";
        if (title.length < 5) await ack({ response_action: "errors", errors: { title: "Too short" } });
        else await ack();
      });
    });

    await slack.runSlashCommand({ user: "carol", channel: "general", command: "/coworker", text: "" });
    const modal = await slack.waitFor(() => slack.openModal("carol"));
    expect(modal.definition).toMatchObject({ callback_id: "task" });
    const rejected = await slack.submitView({ user: "carol", values: { title: { value: "abc" } } });
    expect(rejected).toMatchObject({ responseAction: "errors", errors: { title: "Too short" } });
    const accepted = await slack.submitView({
      user: "carol",
      values: { title: { value: "Write the report" } },
    });
    expect(accepted.acked).toBe(true);
    expect(slack.openModal("carol")).toBeUndefined();
  });

  it("runs Bolt's Assistant: thread started, suggested prompts, status, and a reply", async () => {
    const heard: string[] = [];
    await startBolt((bolt) => {
      bolt.assistant(
        new Assistant({
          threadStarted: async ({ say, setSuggestedPrompts }) => {
            await say("Hi, how can I help?");
            await setSuggestedPrompts({ prompts: [{ title: "Summarize", message: "Summarize #general" }] });
          },
          userMessage: async ({ message, say, setStatus, setTitle }) => {
            heard.push("text" in message ? String(message.text) : "");
            await setTitle("Summary request");
            await setStatus("is thinking...");
            await say("Here is the summary.");
          },
        }),
      );
    });

    const thread = await slack.startAssistantThread({ user: "alice", contextChannel: "general" });
    await slack.waitForMessage({
      channel: thread.channel,
      threadTs: thread.threadTs,
      contains: "how can I help",
    });
    await slack.waitFor(() => slack.assistantThread(thread.channel, thread.threadTs)?.prompts);
    await slack.dm({ user: "alice", text: "summarize please", threadTs: thread.threadTs });
    const answer = await slack.waitForMessage({
      channel: thread.channel,
      threadTs: thread.threadTs,
      contains: "Here is the summary.",
    });
    expect(answer.botId).toBe(slack.botId);
    expect(heard).toEqual(["summarize please"]);
    expect(slack.assistantThread(thread.channel, thread.threadTs)).toMatchObject({
      title: "Summary request",
      status: undefined,
      prompts: { prompts: [{ title: "Summarize", message: "Summarize #general" }] },
    });
    expect(slack.callsTo("assistant.threads.setStatus")).toHaveLength(1);
  });
});
