import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvalActions } from "../../src/slack/blocks/approval.js";
import { googleTools } from "../../src/tools/google/index.js";
import type { FakeReply, FakeRequestBody } from "../support/fake-model-server.js";
import { approvalRequest, privateAnswer, privateApprovalRequest } from "./support/approval.js";
import { connectGoogle } from "./support/google.js";
import { type IntegrationStack, startIntegrationStack } from "./support/stack.js";

/**
 * End to end through the Slack emulator, the worker's harness, a fake model and the Google stand-in:
 * a person asks in a thread; the run reads their calendar and mail, drafts a reply, asks for
 * approval to send it, and sends it once, after the person clicks Approve.
 */
describe("a run that reads mail and calendar and sends an approved reply", () => {
  let stack: IntegrationStack;
  const email = "alice@example.com";

  const toolResults = (body: FakeRequestBody) =>
    body.messages.filter((message) => message.role === "tool").map((message) => String(message.content));

  /** The fake model: each step depends on what the tools returned so far. */
  function reply(body: FakeRequestBody): FakeReply {
    const prompt = JSON.stringify(body.messages.find((message) => message.role === "user")?.content ?? "");
    const results = toolResults(body);
    if (prompt.includes("what's in my inbox")) {
      return results.length === 0
        ? { toolCalls: [{ name: "gmail_search", arguments: { query: "in:inbox" } }] }
        : { text: `Tool said: ${results[0]}` };
    }
    switch (results.length) {
      case 0:
        return {
          toolCalls: [
            {
              name: "calendar_list_events",
              arguments: { timeMin: "2025-03-06T00:00:00Z", timeMax: "2025-03-07T00:00:00Z" },
            },
            { name: "gmail_search", arguments: { query: "from:bob@example.com subject:Thursday" } },
          ],
        };
      case 2: {
        const messageId = /- id (\S+) \(thread/.exec(results[1]!)![1]!;
        return { toolCalls: [{ name: "gmail_read", arguments: { messageId } }] };
      }
      case 3:
        return {
          toolCalls: [
            {
              name: "gmail_create_draft",
              arguments: {
                to: ["bob@example.com"],
                body: answer(results),
                replyToMessageId: readId(results),
              },
            },
          ],
        };
      case 4: {
        const draftId = /^Draft (\S+) created/.exec(results[3]!)![1]!;
        return {
          toolCalls: [
            {
              name: "gmail_send",
              arguments: {
                to: ["bob@example.com"],
                body: answer(results),
                replyToMessageId: readId(results),
                draftId,
              },
            },
          ],
        };
      }
      default:
        return { text: `Done: ${results.at(-1)}` };
    }
  }
  const readId = (results: string[]) => /Message (\S+) \(thread/.exec(results[2]!)![1]!;
  const answer = (results: string[]) =>
    `Hi Bob, ${results[0]!.includes("Board meeting") ? "I'm busy 10-12 but free at 14:00." : "I'm free."}`;

  beforeAll(async () => {
    stack = await startIntegrationStack({
      reply,
      tools: async ({ integration }) => googleTools(integration),
    });
    await connectGoogle(stack, stack.slack.users.alice.id, email);
    stack.google.addEvent(email, {
      summary: "Board meeting",
      start: { dateTime: "2025-03-06T10:00:00Z" },
      end: { dateTime: "2025-03-06T12:00:00Z" },
    });
    stack.google.addMail(email, {
      from: "Bob <bob@example.com>",
      to: email,
      subject: "Thursday?",
      text: "Can we meet on Thursday morning?",
      messageId: "<thursday-1@example.com>",
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("reads, drafts, waits for approval, and sends exactly once", async () => {
    const { slack, google, database } = stack;
    const alice = slack.users.alice;
    const asked = await slack.mention({
      user: alice,
      channel: slack.channels.general,
      text: "can I meet Bob on Thursday? check my calendar and answer his mail",
    });
    const approvalMessage = await approvalRequest(slack, asked.ts);
    // The channel sees no content; alice, who decides, gets the reply's text privately.
    expect(JSON.stringify(approvalMessage.blocks)).not.toContain("Hi Bob");
    const copy = await privateApprovalRequest(slack, "alice");
    expect(JSON.stringify(copy.blocks)).toContain("Hi Bob, I'm busy 10-12 but free at 14:00.");
    // Nothing is sent before a person approves; the draft is there.
    expect(google.sent(email)).toHaveLength(0);
    expect(google.account(email).drafts.size).toBe(1);
    const run = await database.run.findFirstOrThrow({ where: { triggerTs: asked.ts } });
    await expect
      .poll(async () => (await database.run.findUniqueOrThrow({ where: { id: run.id } })).status)
      .toBe("waiting_approval");

    await slack.clickButton({
      user: alice,
      channel: slack.channels.general,
      messageTs: approvalMessage.ts,
      actionId: approvalActions.approve,
    });
    // The answer draws on alice's mail: she gets it privately; #general gets a note.
    const done = await privateAnswer(slack, "alice", "Done: Sent");
    expect(done.text).toContain('Sent "Re: Thursday?" to bob@example.com');
    await slack.waitForMessage(
      { channel: slack.channels.general, threadTs: asked.ts, contains: "I sent you the answer privately" },
      20_000,
    );

    const sent = google.sent(email);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.headers["in-reply-to"]).toBe("<thursday-1@example.com>");
    expect(sent[0]!.headers["x-coworker-key"]).toMatch(/^[0-9a-f]{40}$/);
    expect(sent[0]!.body).toBe("Hi Bob, I'm busy 10-12 but free at 14:00.");
    const original = google
      .account(email)
      .mail.find((mail) => mail.headers.some((item) => item.value === "Thursday?"))!;
    expect(sent[0]!.threadId).toBe(original.threadId);
    expect(google.account(email).drafts.size).toBe(0);

    const approval = await database.approval.findFirstOrThrow({ where: { runId: run.id } });
    expect(approval).toMatchObject({ tool: "gmail_send", status: "approved", decidedBy: alice.id });
    const ledger = await database.toolCall.findMany({
      where: { runId: run.id },
      orderBy: { startedAt: "asc" },
    });
    const toolEntries = ledger.filter((entry) => !entry.tool.startsWith("slack."));
    expect(toolEntries.map((entry) => `${entry.tool}:${entry.status}`)).toEqual([
      "calendar_list_events:done",
      "gmail_search:done",
      "gmail_read:done",
      "gmail_create_draft:done",
      "gmail_send:done",
    ]);
    await expect
      .poll(async () => (await database.run.findUniqueOrThrow({ where: { id: run.id } })).status)
      .toBe("completed");
    expect(google.errors).toEqual([]);
    expect(stack.model.errors).toEqual([]);
  });

  it("offers a private connect link in the thread to someone who has not connected", async () => {
    const { slack } = stack;
    const bob = slack.users.bob;
    const asked = await slack.mention({
      user: bob,
      channel: slack.channels.general,
      text: "what's in my inbox?",
    });
    // A Google tool's result is the requester's alone: the answer reaches bob privately.
    const answer = await privateAnswer(slack, "bob", "Tool said");
    expect(answer.text).toContain("has not connected a Google account");
    const [link] = slack.ephemerals({ user: bob }).filter((item) => item.threadTs === asked.ts);
    expect(link?.text).toContain("/oauth/google/start?");
    expect(
      slack.ephemerals({ user: slack.users.carol }).filter((item) => item.threadTs === asked.ts),
    ).toHaveLength(0);
  });
});
