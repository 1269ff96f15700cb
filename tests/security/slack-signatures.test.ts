import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slackSignature } from "../../src/emulator/index.js";
import { type AppStack, startAppStack } from "../support/app-stack.js";

/**
 * Requests to the running web role's POST /slack/events over real HTTP: only requests signed with the
 * app's signing secret, over the exact bytes received, with a timestamp within five minutes of now
 * (either way), are taken. A forged, tampered, stale or future-dated request gets 401 and leaves
 * nothing behind (no event recorded, no task); a signed request replayed within Slack's five minutes
 * is taken once (the event id is recorded). An event is acknowledged only after it was persisted
 * (durable-ack.ts), so once the response is in, whatever the request stored is visible: the checks
 * below need no waiting.
 */
describe("Slack request signatures", () => {
  let stack: AppStack;
  let template: Record<string, unknown>;
  let counter = 0;

  beforeAll(async () => {
    stack = await startAppStack({ reply: () => ({ text: "On it." }) });
    // A real event envelope from the emulator, as the template for the requests below.
    const posted = await stack.slack.mention({
      user: stack.slack.users.alice,
      channel: stack.slack.channels.general,
      text: "template",
    });
    template = JSON.parse(posted.deliveries[0]!.body) as Record<string, unknown>;
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** A fresh app_mention envelope (new event id and ts) as the exact bytes to send. */
  function eventBody(text: string): { body: string; eventId: string; ts: string } {
    counter += 1;
    const ts = `${Math.floor(Date.now() / 1000)}.${String(900_000 + counter).padStart(6, "0")}`;
    const eventId = `EvSECURITY${counter}${Date.now()}`;
    const event = { ...(template.event as Record<string, unknown>), text, ts, event_ts: ts };
    return { body: JSON.stringify({ ...template, event_id: eventId, event }), eventId, ts };
  }

  function send(body: string, headers: Record<string, string>): Promise<Response> {
    return fetch(`${stack.running.webUrl}/slack/events`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
  }

  function signed(
    body: string,
    options: { secret?: string; timestamp?: number } = {},
  ): Record<string, string> {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    return {
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": slackSignature(options.secret ?? stack.slack.signingSecret, timestamp, body),
    };
  }

  /** Nothing of the event reached the database (called once its request's response is in). */
  async function leftNothing(eventId: string, ts: string): Promise<void> {
    expect(await stack.database.slackEvent.findUnique({ where: { id: eventId } })).toBeNull();
    expect(await stack.database.task.count({ where: { threadTs: ts } })).toBe(0);
  }

  it("takes a correctly signed event (the control for every refusal below)", async () => {
    const { body, eventId, ts } = eventBody("a genuine request");
    const response = await send(body, signed(body));
    expect(response.status).toBe(200);
    await expect
      .poll(() => stack.database.task.count({ where: { threadTs: ts } }), { timeout: 10_000 })
      .toBe(1);
    expect(await stack.database.slackEvent.findUnique({ where: { id: eventId } })).not.toBeNull();
  });

  it("refuses a request signed with another secret", async () => {
    const { body, eventId, ts } = eventBody("forged with a guessed secret");
    const response = await send(body, signed(body, { secret: "not-the-signing-secret" }));
    expect(response.status).toBe(401);
    await leftNothing(eventId, ts);
  });

  it("refuses a request without signature headers", async () => {
    const { body, eventId, ts } = eventBody("no signature at all");
    expect((await send(body, {})).status).toBe(401);
    expect(
      (await send(body, { "x-slack-request-timestamp": String(Math.floor(Date.now() / 1000)) })).status,
    ).toBe(401);
    await leftNothing(eventId, ts);
  });

  it("refuses a body changed after it was signed", async () => {
    const original = eventBody("the signed words");
    const tampered = original.body.replace("the signed words", "delete everything");
    const response = await send(tampered, signed(original.body));
    expect(response.status).toBe(401);
    await leftNothing(original.eventId, original.ts);
  });

  it("refuses a stale timestamp, even when the signature over it is genuine", async () => {
    const { body, eventId, ts } = eventBody("captured six minutes ago");
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    const response = await send(body, signed(body, { timestamp: sixMinutesAgo }));
    expect(response.status).toBe(401);
    await leftNothing(eventId, ts);
  });

  it("refuses a future timestamp, even when the signature over it is genuine", async () => {
    for (const [label, seconds] of [
      ["an hour ahead", 3600],
      ["six minutes ahead", 6 * 60],
    ] as const) {
      const { body, eventId, ts } = eventBody(`signed for ${label}`);
      const response = await send(body, signed(body, { timestamp: Math.floor(Date.now() / 1000) + seconds }));
      expect(response.status, label).toBe(401);
      await leftNothing(eventId, ts);
    }
    // Four minutes ahead is within Slack's bound (clocks differ a little): taken.
    const { body, ts } = eventBody("signed a little ahead");
    const near = await send(body, signed(body, { timestamp: Math.floor(Date.now() / 1000) + 4 * 60 }));
    expect(near.status).toBe(200);
    expect(await stack.database.task.count({ where: { threadTs: ts } })).toBe(1);
  });

  it("refuses a timestamp header changed after signing (making an old capture look fresh)", async () => {
    const { body, eventId, ts } = eventBody("old capture, new timestamp");
    const headers = signed(body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    headers["x-slack-request-timestamp"] = String(Math.floor(Date.now() / 1000));
    expect((await send(body, headers)).status).toBe(401);
    await leftNothing(eventId, ts);
  });

  it("refuses malformed signatures without failing", async () => {
    const { body, eventId, ts } = eventBody("malformed signatures");
    const genuine = signed(body);
    const digest = genuine["x-slack-signature"]!.slice(3);
    for (const signature of [
      "",
      "v0=",
      `v1=${digest}`,
      `v0=${digest.slice(0, -1)}`,
      `v0=${digest}00`,
      digest,
    ]) {
      const response = await send(body, { ...genuine, "x-slack-signature": signature });
      expect(response.status, `signature "${signature.slice(0, 12)}…"`).toBe(401);
    }
    await leftNothing(eventId, ts);
    expect((await fetch(`${stack.running.webUrl}/healthz`)).status).toBe(200);
  });

  it("takes a replayed signed event once: one event, one task, one run", async () => {
    const { body, eventId, ts } = eventBody("replay me");
    const headers = signed(body);
    const first = await send(body, headers);
    const replayed = await Promise.all([send(body, headers), send(body, headers), send(body, headers)]);
    expect(first.status).toBe(200);
    expect(replayed.map((response) => response.status)).toEqual([200, 200, 200]);
    // Every response is in, so every request has finished: the counts below are final.
    expect(await stack.database.slackEvent.count({ where: { id: eventId } })).toBe(1);
    expect(await stack.database.task.count({ where: { threadTs: ts } })).toBe(1);
    expect(await stack.database.run.count({ where: { triggerTs: ts } })).toBe(1);
  });
});
