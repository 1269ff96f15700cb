import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestOf } from "../slack/support/scenario.js";
import { type AppStack, startAppStack } from "../support/app-stack.js";
import type { FakeReply, FakeRequestBody } from "../support/fake-model-server.js";
import { runCoworkerCommand } from "../support/slash-command.js";

/**
 * What the thread and the viewer show (docs/security.md, "Run links and the viewer" and
 * "Redaction"), on the real app with the Slack emulator: "View run" links reach the requester alone,
 * expire and can be revoked; everything posted to Slack passes the one redactor, so a provider error
 * that echoes the API key (or ADMIN_PASSWORD, METRICS_TOKEN) reaches the thread redacted.
 */
const secrets = {
  "model API key": `model-key-${randomBytes(12).toString("hex")}`,
  ADMIN_PASSWORD: `admin-${randomBytes(12).toString("hex")}`,
  METRICS_TOKEN: `metrics-${randomBytes(12).toString("hex")}`,
};

function reply(body: FakeRequestBody): FakeReply {
  const request = requestOf(body);
  if (/echo the key/.test(request)) {
    // A provider that quotes what it was sent: some do, in 4xx bodies.
    return {
      status: 403,
      message: `Access denied for key ${secrets["model API key"]} (admin ${secrets.ADMIN_PASSWORD}, metrics ${secrets.METRICS_TOKEN})`,
    };
  }
  if (/mention the admin password/.test(request)) {
    return { text: `Here it is: ${secrets.ADMIN_PASSWORD} and ${secrets.METRICS_TOKEN}` };
  }
  return { text: `Answer to: ${request}` };
}

describe("what the thread and the viewer show", () => {
  let stack: AppStack;

  beforeAll(async () => {
    stack = await startAppStack({
      reply,
      env: {
        LLM_API_KEY: secrets["model API key"],
        ADMIN_PASSWORD: secrets.ADMIN_PASSWORD,
        METRICS_TOKEN: secrets.METRICS_TOKEN,
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** Everything anyone in the channel can read: its messages and every thread's replies. */
  function channelVisible(): string {
    const { slack } = stack;
    const messages = slack.messages("general");
    const replies = messages.flatMap((message) => slack.thread("general", message.ts));
    return JSON.stringify([...messages, ...replies]);
  }

  const local = (link: string) => {
    const url = new URL(link);
    return `${stack.running.webUrl}${url.pathname}${url.search}`;
  };

  it("sends the run link to the requester only, and it works for them until it expires or is revoked", async () => {
    const { slack, database } = stack;
    const posted = await slack.mention({ user: "alice", channel: "general", text: "what is on today?" });
    await slack.waitForMessage({ channel: "general", threadTs: posted.ts, contains: "Answer to:" }, 15_000);
    const status = await slack.waitForMessage(
      { channel: "general", threadTs: posted.ts, from: "bot", contains: "run.view" },
      10_000,
    );
    const run = await database.run.findFirstOrThrow({ where: { triggerTs: posted.ts } });
    // No link in anything the channel can read: the status message's button carries only the run id.
    expect(channelVisible()).not.toContain("/runs/");
    expect(channelVisible()).not.toContain("signature=");

    // Bob clicks "View run": refused privately, no link minted.
    await slack.clickButton({ user: "bob", channel: "general", messageTs: status.ts, actionId: "run.view" });
    const refusal = await slack.waitFor(() =>
      slack.ephemerals({ user: "bob" }).find((item) => item.text.includes("open this run")),
    );
    expect(refusal.text).toContain(`Only <@${slack.users.alice.id}> (who asked)`);
    expect(await database.runLink.count({ where: { runId: run.id } })).toBe(0);

    // Alice clicks: a private message with her own link.
    await slack.clickButton({
      user: "alice",
      channel: "general",
      messageTs: status.ts,
      actionId: "run.view",
    });
    const granted = await slack.waitFor(() =>
      slack.ephemerals({ user: "alice" }).find((item) => JSON.stringify(item.blocks).includes("/runs/")),
    );
    expect(granted.threadTs).toBe(posted.ts);
    const link = /"url":"([^"]+\/runs\/[^"]+)"/.exec(JSON.stringify(granted.blocks))?.[1] ?? "";
    expect(link).toContain(`/runs/${run.id}?link=`);
    expect(channelVisible()).not.toContain("/runs/");
    const opened = await fetch(local(link));
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain("what is on today?");
    const stored = await database.runLink.findFirstOrThrow({ where: { runId: run.id } });
    expect(stored.userId).toBe(slack.users.alice.id);
    expect(stored.expiresAt.getTime() - stored.createdAt.getTime()).toBeLessThanOrEqual(
      4 * 3600 * 1000 + 1000,
    );

    // Expired (the stored expiry is checked, whatever the URL says): refused.
    await database.runLink.update({
      where: { id: stored.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const expired = await fetch(local(link));
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain("This link has expired");

    // A fresh link, revoked with the button next to it: refused.
    await slack.clickButton({
      user: "alice",
      channel: "general",
      messageTs: status.ts,
      actionId: "run.view",
    });
    const second = await slack.waitFor(() => {
      const found = slack
        .ephemerals({ user: "alice" })
        .filter((item) => JSON.stringify(item.blocks).includes("/runs/"));
      return found.length > 1 ? found.at(-1) : undefined;
    });
    const secondLink = /"url":"([^"]+\/runs\/[^"]+)"/.exec(JSON.stringify(second.blocks))?.[1] ?? "";
    expect((await fetch(local(secondLink))).status).toBe(200);
    await slack.clickButton({
      user: "alice",
      channel: "general",
      messageTs: second.ts,
      actionId: "run.link.revoke",
    });
    await slack.waitFor(() =>
      slack.ephemerals({ user: "alice" }).find((item) => item.text.startsWith("Revoked")),
    );
    const revoked = await fetch(local(secondLink));
    expect(revoked.status).toBe(403);
    expect(await revoked.text()).toContain("This link was revoked");
  });

  it("revokes every link a person holds with /coworker links revoke", async () => {
    const { slack, database } = stack;
    const working = () => ({ revokedAt: null, expiresAt: { gt: new Date() } });
    expect(await database.runLink.count({ where: working() })).toBe(0);
    const status = slack
      .messages("general")
      .flatMap((message) => slack.thread("general", message.ts))
      .find((message) => JSON.stringify(message.blocks).includes("run.view"))!;
    await slack.clickButton({
      user: "alice",
      channel: "general",
      messageTs: status.ts,
      actionId: "run.view",
    });
    await expect.poll(() => database.runLink.count({ where: working() })).toBe(1);
    const link = await database.runLink.findFirstOrThrow({ where: working() });
    await runCoworkerCommand(slack, "alice", "links revoke");
    await slack.waitFor(() =>
      slack.ephemerals({ user: "alice" }).find((item) => item.text.includes("Revoked 1 run link")),
    );
    expect((await database.runLink.findUniqueOrThrow({ where: { id: link.id } })).revokedAt).not.toBeNull();
  });

  it("redacts a provider error that echoes the API key before it reaches the thread", async () => {
    const { slack } = stack;
    const posted = await slack.mention({ user: "alice", channel: "general", text: "please echo the key" });
    const stopped = await slack.waitForMessage(
      { channel: "general", threadTs: posted.ts, contains: "I had to stop" },
      15_000,
    );
    expect(stopped.text).toContain("Access denied for key [redacted]");
    for (const secret of Object.values(secrets)) expect(channelVisible()).not.toContain(secret);
  });

  it("redacts ADMIN_PASSWORD and METRICS_TOKEN in an answer, in Slack and in the trace", async () => {
    const { slack, database } = stack;
    const posted = await slack.mention({
      user: "alice",
      channel: "general",
      text: "mention the admin password",
    });
    const answer = await slack.waitForMessage(
      { channel: "general", threadTs: posted.ts, contains: "Here it is" },
      15_000,
    );
    expect(answer.text).toBe("Here it is: [redacted] and [redacted]");
    for (const secret of Object.values(secrets)) expect(channelVisible()).not.toContain(secret);
    const run = await database.run.findFirstOrThrow({ where: { triggerTs: posted.ts } });
    const steps = JSON.stringify(await database.step.findMany({ where: { runId: run.id } }));
    expect(steps).toContain("Here it is: [redacted]");
    for (const secret of Object.values(secrets)) expect(steps).not.toContain(secret);
  });
});
