import { webApi } from "@slack/bolt";
import { afterEach, describe, expect, it } from "vitest";
import {
  type SlackEmulator,
  type SlackEmulatorOptions,
  startSlackEmulator,
} from "../../src/emulator/index.js";
import { webClient } from "./clients.js";

let slack: SlackEmulator;

async function setUp(options: SlackEmulatorOptions = {}) {
  slack = await startSlackEmulator(options);
}

afterEach(async () => {
  await slack.close();
});

describe("rate limits", () => {
  it("answers over-limit calls with HTTP 429, Retry-After and ratelimited", async () => {
    await setUp({ rateLimits: { methods: { "chat.update": { perMinute: 1 } } } });
    const client = webClient(slack);
    const posted = await client.chat.postMessage({ channel: slack.channels.general.id, text: "v1" });
    const update = () =>
      fetch(`${slack.apiUrl}chat.update`, {
        method: "POST",
        headers: { authorization: `Bearer ${slack.botToken}`, "content-type": "application/json" },
        body: JSON.stringify({ channel: slack.channels.general.id, ts: posted.ts, text: "v2" }),
      });
    expect((await update()).status).toBe(200);
    const limited = await update();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(59);
    expect(await limited.json()).toEqual({ ok: false, error: "ratelimited" });
  });

  it("is handled by WebClient: it waits Retry-After and retries", async () => {
    await setUp({ rateLimits: { methods: { "users.info": { limit: 1, windowMs: 1000 } } } });
    const client = webClient(slack, { retryConfig: { retries: 3, minTimeout: 0, maxTimeout: 0 } });
    const rateLimited: number[] = [];
    client.on(webApi.WebClientEvent.RATE_LIMITED, (seconds: number) => rateLimited.push(seconds));
    await client.users.info({ user: slack.users.alice.id });
    const second = await client.users.info({ user: slack.users.bob.id });
    expect(second.user?.id).toBe(slack.users.bob.id);
    expect(rateLimited).toEqual([1]);
    expect(slack.callsTo("users.info").map((call) => call.httpStatus)).toEqual([200, 429, 200]);
  });

  it("gives WebClient a WebAPIRateLimitedError when it rejects rate-limited calls", async () => {
    await setUp();
    slack.faults.rateLimit({ methods: ["chat.postMessage"], calls: 1, retryAfterSeconds: 7 });
    const client = webClient(slack, { rejectRateLimitedCalls: true });
    await expect(
      client.chat.postMessage({ channel: slack.channels.general.id, text: "x" }),
    ).rejects.toMatchObject({
      code: webApi.ErrorCode.RateLimitedError,
      retryAfter: 7,
    });
    const after = await client.chat.postMessage({ channel: slack.channels.general.id, text: "x" });
    expect(after.ok).toBe(true);
  });

  it("limits chat.postMessage per channel with a burst, like Slack", async () => {
    await setUp({ rateLimits: { preset: "slack" } });
    const client = webClient(slack, { rejectRateLimitedCalls: true });
    const general = slack.channels.general.id;
    for (let index = 0; index < 5; index += 1)
      await client.chat.postMessage({ channel: general, text: `${index}` });
    await expect(client.chat.postMessage({ channel: general, text: "one too many" })).rejects.toMatchObject({
      code: webApi.ErrorCode.RateLimitedError,
      retryAfter: 1,
    });
    expect(slack.callsTo("chat.postMessage").at(-1)?.httpStatus).toBe(429);
    const elsewhere = await client.chat.postMessage({
      channel: slack.channels.random.id,
      text: "other channel",
    });
    expect(elsewhere.ok).toBe(true);
  });

  it("counts per workspace", async () => {
    await setUp({ rateLimits: { methods: { "auth.test": { perMinute: 1 } } } });
    const other = await slack.createWorkspace({ install: "direct" });
    await webClient(slack).auth.test();
    const result = await webClient(slack, {}, other.botToken).auth.test();
    expect(result.team_id).toBe(other.teamId);
  });

  it("can be switched off and changed at run time", async () => {
    await setUp({ rateLimits: false });
    const client = webClient(slack, { rejectRateLimitedCalls: true });
    for (let index = 0; index < 20; index += 1) await client.auth.test();
    slack.rateLimits.configure({ methods: { "auth.test": { perMinute: 1 } } });
    await client.auth.test();
    await expect(client.auth.test()).rejects.toMatchObject({ code: webApi.ErrorCode.RateLimitedError });
    slack.rateLimits.disable();
    expect((await client.auth.test()).ok).toBe(true);
  });

  it("never limits normal test traffic by default", async () => {
    await setUp();
    const client = webClient(slack);
    for (let index = 0; index < 60; index += 1) {
      await client.chat.postMessage({ channel: slack.channels.general.id, text: `${index}` });
    }
    expect(slack.callsTo("chat.postMessage").every((call) => call.httpStatus === 200)).toBe(true);
  });
});

describe("faults", () => {
  it("answers 5xx for the chosen methods and number of calls", async () => {
    await setUp();
    const fault = slack.faults.serverError({ methods: ["conversations.history"], calls: 2, status: 503 });
    const client = webClient(slack);
    await expect(client.conversations.history({ channel: slack.channels.general.id })).rejects.toMatchObject({
      code: webApi.ErrorCode.HTTPError,
      statusCode: 503,
    });
    expect((await client.auth.test()).ok).toBe(true);
    const retrying = webClient(slack, { retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 0 } });
    const history = await retrying.conversations.history({ channel: slack.channels.general.id });
    expect(history.ok).toBe(true);
    expect(fault.hits).toBe(2);
  });

  it("storms 429 on every method for a time window", async () => {
    await setUp();
    slack.faults.rateLimit({ durationMs: 300 });
    const client = webClient(slack, { rejectRateLimitedCalls: true });
    await expect(client.auth.test()).rejects.toMatchObject({ code: webApi.ErrorCode.RateLimitedError });
    await expect(client.users.list({})).rejects.toMatchObject({ code: webApi.ErrorCode.RateLimitedError });
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await client.auth.test()).ok).toBe(true);
  });

  it("adds latency", async () => {
    await setUp();
    slack.faults.latency({ methods: ["auth.test"], ms: 200, calls: 1 });
    const started = Date.now();
    await webClient(slack).auth.test();
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });
});
