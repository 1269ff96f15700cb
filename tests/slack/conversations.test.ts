import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forgetUnclaimedReplies, unclaimedReplyRetentionMs } from "../../src/slack/intake.js";
import { type AppStack, startAppStack } from "../support/app-stack.js";
import type { FakeAnswer, FakeRequestBody } from "../support/fake-model-server.js";
import { requestOf, type ToolLog, testTools, toolResults, transcript } from "./support/scenario.js";

/**
 * Every way a conversation starts (a mention, a DM, Slack's assistant thread), steering a run while it
 * works, and following up after it finished, on the real app with the Slack emulator.
 */
function reply(body: FakeRequestBody): FakeAnswer {
  const request = requestOf(body);
  if (/slowly/.test(request)) {
    // Step one is slow (a reply can arrive meanwhile) and asks for a lookup; step two answers.
    if (toolResults(body).length === 0)
      return { toolCalls: [{ name: "lookup", arguments: { query: request } }], delayMs: 1500 };
    const steered = transcript(body).includes("while you were working");
    return { text: steered ? "Counted, with your addition." : "Counted." };
  }
  if (/capital of France/.test(request)) return { text: "The capital of France is **Paris**." };
  if (/Germany/.test(request)) return { text: "Berlin." };
  return { text: `Answer to: ${request}` };
}

describe("conversations", () => {
  let stack: AppStack;
  const log: ToolLog = { reports: [], lookups: [] };

  beforeAll(async () => {
    stack = await startAppStack({ tools: testTools(log), reply });
  });
  afterAll(async () => {
    await stack?.close();
  });

  function requestsAbout(text: string) {
    return stack.model.requests.filter((request) => requestOf(request.body).includes(text));
  }

  it("starts from a mention, answering in its thread with Markdown blocks", async () => {
    const { slack } = stack;
    const posted = await slack.mention({
      user: "alice",
      channel: "general",
      text: "what is the capital of France?",
    });
    const answer = await slack.waitForMessage(
      { channel: "general", threadTs: posted.ts, contains: "Paris" },
      15_000,
    );
    expect(answer.blocks).toEqual([{ type: "markdown", text: "The capital of France is **Paris**." }]);
    expect(answer.text).toBe("The capital of France is *Paris*.");
  });

  it("follows up after a run with the whole thread as context", async () => {
    const { slack, database } = stack;
    const parent = slack.messages("general").find((message) => message.text.includes("capital of France"))!;
    await expect
      .poll(async () => (await database.run.findFirstOrThrow({ where: { triggerTs: parent.ts } })).status)
      .toBe("completed");
    await slack.reply({ user: "alice", channel: "general", threadTs: parent.ts, text: "and of Germany?" });
    await slack.waitForMessage({ channel: "general", threadTs: parent.ts, contains: "Berlin." }, 15_000);
    const followUp = requestsAbout("Germany").at(-1)!;
    const sent = transcript(followUp.body);
    expect(sent).toContain("what is the capital of France?");
    expect(sent).toContain("The capital of France is **Paris**.");
    expect(await database.run.count({ where: { task: { threadTs: parent.ts } } })).toBe(2);
    // The follow-up is the second run's trigger: delivered to it, so no other run takes it as steering.
    const second = await database.run.findFirstOrThrow({
      where: { task: { threadTs: parent.ts } },
      orderBy: { createdAt: "desc" },
    });
    const stored = await database.threadMessage.findFirstOrThrow({ where: { ts: second.triggerTs } });
    expect(stored.text).toBe("and of Germany?");
    expect(stored.deliveredToRunId).toBe(second.id);
  });

  it("starts from a DM, once, and shows the assistant status there", async () => {
    const { slack, database } = stack;
    const posted = await slack.dm({ user: "bob", text: "hello from a DM" });
    await slack.waitForMessage(
      { channel: posted.channel, threadTs: posted.ts, contains: "Answer to: hello from a DM" },
      15_000,
    );
    expect(await database.run.count({ where: { triggerTs: posted.ts } })).toBe(1);
    expect(requestsAbout("hello from a DM")).toHaveLength(1);
    const statuses = () =>
      slack
        .callsTo("assistant.threads.setStatus")
        .filter((call) => call.args.channel_id === posted.channel && call.args.thread_ts === posted.ts)
        .map((call) => call.args.status);
    expect(statuses()).toContain("is thinking…");
    // Cleared when the run is done.
    await expect.poll(() => statuses().at(-1)).toBe("");
  });

  it("works in an assistant thread: prompts, one run per message, a title and a status", async () => {
    const { slack, database } = stack;
    const thread = await slack.startAssistantThread({ user: "carol", contextChannel: "general" });
    await slack.waitForMessage({
      channel: thread.channel,
      threadTs: thread.threadTs,
      from: "bot",
      contains: "Hi!",
    });
    await slack.waitFor(() => slack.assistantThread(thread.channel, thread.threadTs)?.prompts);
    expect(slack.assistantThread(thread.channel, thread.threadTs)?.prompts?.prompts).toHaveLength(4);

    const question = await slack.dm({
      user: "carol",
      text: "summarize our release plan",
      threadTs: thread.threadTs,
    });
    await slack.waitForMessage(
      {
        channel: thread.channel,
        threadTs: thread.threadTs,
        contains: "Answer to: summarize our release plan",
      },
      15_000,
    );
    expect(await database.run.count({ where: { triggerTs: question.ts } })).toBe(1);
    expect(requestsAbout("summarize our release plan")).toHaveLength(1);
    const task = await database.task.findFirstOrThrow({ where: { threadTs: thread.threadTs } });
    expect(task.source).toBe("assistant");
    expect(slack.assistantThread(thread.channel, thread.threadTs)?.title).toBe("summarize our release plan");
    expect(
      slack
        .callsTo("assistant.threads.setStatus")
        .some((call) => call.args.thread_ts === thread.threadTs && call.args.status === "is thinking…"),
    ).toBe(true);
    expect(
      slack.thread(thread.channel, thread.threadTs).filter((message) => message.text.includes("Answer to:")),
    ).toHaveLength(1);
  });

  it("takes a reply in the thread while it works as steering: :eyes:, then the model's next call", async () => {
    const { slack } = stack;
    const posted = await slack.mention({
      user: "alice",
      channel: "general",
      text: "count the planets slowly",
    });
    await slack.waitFor(() => requestsAbout("count the planets slowly").length > 0);
    // The requester steers (someone else's reply is only context: tests/security/thread-identity.test.ts).
    const steering = await slack.reply({
      user: "alice",
      channel: "general",
      threadTs: posted.ts,
      text: "also include Pluto",
    });
    await slack.waitFor(() =>
      slack.reactions("general", steering.ts).find((reaction) => reaction.name === "eyes"),
    );
    await slack.waitForMessage(
      { channel: "general", threadTs: posted.ts, contains: "with your addition" },
      15_000,
    );
    const second = requestsAbout("count the planets slowly")[1]!;
    expect(transcript(second.body)).toContain("also include Pluto");
    expect(transcript(requestsAbout("count the planets slowly")[0]!.body)).not.toContain(
      "also include Pluto",
    );
  });

  it("takes a reply in a DM thread while it works as steering, not as a second run", async () => {
    const { slack, database } = stack;
    const posted = await slack.dm({ user: "bob", text: "count the moons slowly" });
    await slack.waitFor(() => requestsAbout("count the moons slowly").length > 0);
    const steering = await slack.dm({ user: "bob", text: "only the big ones", threadTs: posted.ts });
    await slack.waitFor(() =>
      slack.reactions(posted.channel, steering.ts).find((reaction) => reaction.name === "eyes"),
    );
    await slack.waitForMessage(
      { channel: posted.channel, threadTs: posted.ts, contains: "with your addition" },
      15_000,
    );
    expect(await database.run.count({ where: { task: { threadTs: posted.ts } } })).toBe(1);
    expect(transcript(requestsAbout("count the moons slowly").at(-1)!.body)).toContain("only the big ones");
  });

  it("keeps a reply that overtakes its thread's mention and gives it to the mention's run", async () => {
    const { slack, database } = stack;
    // The mention's deliveries (app_mention and message) fail once; Slack retries them a second later.
    slack.faults.failEvents({ count: 2, eventTypes: ["app_mention", "message"] });
    const posted = await slack.mention({
      user: "carol",
      channel: "general",
      text: "how many comets are there?",
    });
    const reply = await slack.reply({
      user: "carol",
      channel: "general",
      threadTs: posted.ts,
      text: "only the bright ones",
    });
    await reply.settled;
    expect(await database.task.count({ where: { threadTs: posted.ts } })).toBe(0);

    await expect
      .poll(async () => (await database.run.findFirst({ where: { triggerTs: posted.ts } }))?.status, {
        timeout: 15_000,
      })
      .toBe("completed");
    const run = await database.run.findFirstOrThrow({ where: { triggerTs: posted.ts } });
    const delivered = await posted.settled;
    expect(delivered.every((delivery) => delivery.attempts[0]?.outcome === "connection_failed")).toBe(true);
    const stored = await database.threadMessage.findFirstOrThrow({ where: { ts: reply.ts } });
    expect(stored.deliveredToRunId).toBe(run.id);
    const asked = stack.model.requests.filter((request) =>
      transcript(request.body).includes("how many comets"),
    );
    expect(asked).toHaveLength(1);
    expect(transcript(asked[0]!.body)).toContain("only the bright ones");
    expect(await database.run.count({ where: { task: { threadTs: posted.ts } } })).toBe(1);
  });

  it("forgets replies in threads that never became a task", async () => {
    const { slack, database } = stack;
    const chatter = await slack.post({ user: "alice", channel: "general", text: "lunch?" });
    const unclaimed = await slack.reply({
      user: "bob",
      channel: "general",
      threadTs: chatter.ts,
      text: "yes",
    });
    await unclaimed.settled;
    const worked = slack.messages("general").find((message) => message.text.includes("capital of France"))!;
    const claimed = await slack.reply({
      user: "bob",
      channel: "general",
      threadTs: worked.ts,
      text: "thanks",
    });
    await claimed.settled;
    expect(await database.threadMessage.count({ where: { ts: { in: [unclaimed.ts, claimed.ts] } } })).toBe(2);

    // Kept while the thread's mention may still be on its way; forgotten after that.
    expect(await forgetUnclaimedReplies({ database, now: Date.now })).toBe(0);
    await forgetUnclaimedReplies({ database, now: () => Date.now() + unclaimedReplyRetentionMs + 1000 });
    expect(await database.threadMessage.findFirst({ where: { ts: unclaimed.ts } })).toBeNull();
    expect(await database.threadMessage.findFirst({ where: { ts: claimed.ts } })).not.toBeNull();
  });
});
