import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppStack, startAppStack } from "../support/app-stack.js";
import { postSignedToApp } from "../support/slack-request.js";

/**
 * The thin path, end to end on real parts: a signed app_mention reaches the web role over HTTP, a task
 * and a run are stored in Postgres, a BullMQ job runs the harness on a worker, the model answers over
 * real HTTP (a local OpenAI-compatible server), and the answer is posted in the mention's thread
 * through the Web API at SLACK_API_URL.
 */
describe("thin path: mention to answer", () => {
  let stack: AppStack;

  beforeAll(async () => {
    stack = await startAppStack({
      reply: (body) => {
        const last = body.messages.at(-1);
        return { text: `You asked: ${String(last?.content)}. The answer is 4.` };
      },
      // A loaded CI machine can take more than Slack's 3 s to store an event; these tests are about
      // what happens when the answer comes, not about the deadline (the emulator's own tests are).
      emulator: { eventTimeoutMs: 15_000 },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("answers a mention in its thread, once", async () => {
    const { slack, database } = stack;
    const posted = await slack.mention({
      user: slack.users.alice,
      channel: slack.channels.general,
      text: "what is 2 + 2?",
    });
    const answer = await slack.waitForMessage(
      { channel: slack.channels.general, threadTs: posted.ts, contains: "The answer is 4" },
      15_000,
    );
    expect(answer.botId).toBe(slack.botId);
    expect(answer.text).toContain("You asked: what is 2 + 2?");

    // Slack delivered the mention twice (app_mention and message): one task, one run, one job.
    expect(posted.eventIds).toHaveLength(2);
    const tasks = await database.task.findMany();
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      channel: posted.channel,
      threadTs: posted.ts,
      requesterId: slack.users.alice.id,
    });
    const runs = await database.run.findMany();
    expect(runs).toHaveLength(1);
    await expect
      .poll(async () => (await database.run.findUniqueOrThrow({ where: { id: runs[0]!.id } })).status)
      .toBe("completed");
    const job = await stack.services.queues.runs.getJob(`run-${runs[0]!.id}-start`);
    expect(job?.name).toBe("run.execute");

    // The model was called once, over HTTP, with the person's words.
    expect(stack.model.requests).toHaveLength(1);
    expect(JSON.stringify(stack.model.requests[0]!.body.messages)).toContain("what is 2 + 2?");

    // Exactly one final answer in the thread (plus the status message), and the status says done.
    await expect
      .poll(
        () =>
          slack
            .thread(posted.channel, posted.ts)
            .filter((message) => message.text.includes("The answer is 4")).length,
      )
      .toBe(1);
    const status = slack
      .thread(posted.channel, posted.ts)
      .find((message) => message.ts === runs[0]!.statusMessageTs);
    await expect.poll(() => slack.message(posted.channel, status?.ts ?? "")?.text).toContain("Done");
  });

  it("acknowledges a mention only after it is stored, so a crash right after the ack loses nothing", async () => {
    const { slack, database } = stack;
    const posted = await slack.mention({
      user: slack.users.carol,
      channel: slack.channels.general,
      text: "stored first",
    });
    const deliveries = await posted.settled;
    const run = await database.run.findFirstOrThrow({ where: { triggerTs: posted.ts } });
    // Both deliveries (app_mention and message) were answered 200 only after the run was stored.
    expect(deliveries).toHaveLength(2);
    for (const delivery of deliveries) {
      const acked = delivery.attempts.find((attempt) => attempt.status === 200);
      expect(acked).toBeDefined();
      expect(acked!.startedAt + acked!.durationMs).toBeGreaterThanOrEqual(run.createdAt.getTime());
    }
    await slack.waitForMessage(
      { channel: slack.channels.general, threadTs: posted.ts, contains: "stored first", from: "bot" },
      15_000,
    );
  });

  it("creates no second task when Slack retries the same event", async () => {
    const { slack, database, running } = stack;
    const posted = await slack.mention({
      user: slack.users.bob,
      channel: slack.channels.general,
      text: "retry me",
    });
    await slack.waitForMessage(
      { channel: slack.channels.general, threadTs: posted.ts, contains: "retry me", from: "bot" },
      15_000,
    );
    const delivery = slack.deliveries.find((item) => item.eventId === posted.eventIds[0]);
    expect(delivery).toBeDefined();
    // Replay the exact body, as Slack does after a timeout: same event_id, X-Slack-Retry-Num: 1.
    const response = await postSignedToApp(running.webUrl!, slack.signingSecret, delivery!.body, {
      "x-slack-retry-num": "1",
      "x-slack-retry-reason": "http_timeout",
    });
    expect(response.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const tasks = await database.task.findMany({ where: { threadTs: posted.ts } });
    expect(tasks).toHaveLength(1);
    expect(await database.run.count({ where: { triggerTs: posted.ts } })).toBe(1);
    expect(
      slack
        .thread(posted.channel, posted.ts)
        .filter((message) => message.text.includes("retry me") && message.botId),
    ).toHaveLength(1);
  });

  it("answers health and readiness", async () => {
    const health = await fetch(`${stack.running.webUrl}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${stack.running.webUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      ok: true,
      postgres: "ok",
      redis: "ok",
      sandbox: expect.any(Object),
    });
  });
});
