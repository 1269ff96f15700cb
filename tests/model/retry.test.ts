import { describe, expect, it } from "vitest";
import type { FallbackInfo, RetryInfo } from "../../src/harness/model/index.js";
import { type CreateModelOptions, createModel } from "../../src/harness/model/index.js";
import type { FakeReply } from "../support/fake-model-server.js";
import { failure, fakeModelServerPerTest } from "./support/model-tests.js";

const startServer = fakeModelServerPerTest();

const request = { messages: [{ role: "user" as const, content: "hello" }], tools: [] };

/** A model against a fake server replying from `replies` in order (the last one repeats). */
async function setup(
  provider: "openai" | "anthropic",
  replies: FakeReply[] | ((model: string) => FakeReply),
  options: Partial<CreateModelOptions> = {},
) {
  const server = await startServer({
    reply: (body, call) =>
      typeof replies === "function" ? replies(body.model) : (replies[call.index] ?? replies.at(-1)!),
  });
  const delays: number[] = [];
  const retries: RetryInfo[] = [];
  const fallbacks: FallbackInfo[] = [];
  const model = createModel({
    provider,
    baseUrl: server.url,
    apiKey: "key",
    name: "primary",
    timeoutMs: 5000,
    maxRetries: 3,
    sleep: async (milliseconds) => {
      delays.push(milliseconds);
    },
    random: () => 0.5,
    onRetry: (info) => retries.push(info),
    onFallback: (info) => fallbacks.push(info),
    ...options,
  });
  return { model, server, delays, retries, fallbacks };
}

describe.each(["openai", "anthropic"] as const)("retries (%s)", (provider) => {
  it("retries a 429 after exactly the Retry-After seconds", async () => {
    const { model, server, delays, retries } = await setup(provider, [
      { status: 429, retryAfter: 2 },
      { text: "done" },
    ]);
    const response = await model.generate(request);
    expect(response.text).toBe("done");
    expect(server.requests).toHaveLength(2);
    expect(delays).toEqual([2000]);
    expect(retries).toMatchObject([{ model: "primary", attempt: 1, delayMs: 2000, status: 429 }]);
    expect(retries[0]!.error.code).toBe("model_transient");
  });

  it("honours retry-after-ms and a Retry-After HTTP date", async () => {
    const now = Date.UTC(2030, 0, 1, 12, 0, 0);
    const { model, delays } = await setup(
      provider,
      [
        { status: 429, retryAfterMs: 1500 },
        { status: 503, retryAfter: new Date(now + 3000).toUTCString() },
        { text: "done" },
      ],
      { now: () => now },
    );
    await model.generate(request);
    expect(delays).toEqual([1500, 3000]);
  });

  it("retries a 500 and a dropped connection with jittered exponential backoff, then succeeds", async () => {
    const { model, server, delays, retries } = await setup(provider, [
      { status: 500 },
      { drop: true },
      { text: "ok" },
    ]);
    expect((await model.generate(request)).text).toBe("ok");
    expect(server.requests).toHaveLength(3);
    // base 500 ms doubling; half fixed, half random (random = 0.5).
    expect(delays).toEqual([375, 750]);
    expect(retries.map((retry) => retry.status)).toEqual([500, undefined]);
    expect(retries[1]!.error.message).toMatch(/Could not reach the model provider/);
  });

  it("gives up after maxRetries with model_transient", async () => {
    const { model, server, delays } = await setup(provider, [{ status: 503, message: "overloaded" }], {
      maxRetries: 2,
    });
    const error = await failure(model.generate(request));
    expect(error.code).toBe("model_transient");
    expect(error.message).toMatch(/failed after 3 attempts/);
    expect(error.message).toMatch(/503/);
    expect(server.requests).toHaveLength(3);
    expect(delays).toHaveLength(2);
  });

  it("does not sit out a Retry-After longer than the limit: it fails and passes the wait on", async () => {
    const { model, server, delays } = await setup(provider, [{ status: 429, retryAfter: 120 }]);
    const error = await failure(model.generate(request));
    expect(error.code).toBe("model_transient");
    expect(error.options.retryAfterMs).toBe(120_000);
    expect(server.requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it("switches to the fallback model once the primary's retries are exhausted", async () => {
    const { model, server, fallbacks } = await setup(
      provider,
      (name) => (name === "primary" ? { status: 500 } : { text: `answered by ${name}` }),
      { fallback: "backup", maxRetries: 2 },
    );
    const response = await model.generate(request);
    expect(response).toMatchObject({ text: "answered by backup", model: "backup" });
    expect(server.requests.map((sent) => sent.body.model)).toEqual([
      "primary",
      "primary",
      "primary",
      "backup",
    ]);
    expect(fallbacks).toMatchObject([{ from: "primary", to: "backup" }]);
  });

  it("reports both models when the fallback fails too", async () => {
    const { model, server } = await setup(provider, [{ status: 502 }], { fallback: "backup", maxRetries: 1 });
    const error = await failure(model.generate(request));
    expect(error.code).toBe("model_transient");
    expect(error.message).toMatch(/Both "primary" and the fallback "backup" failed/);
    expect(server.requests).toHaveLength(4);
  });

  it.each([
    [401, /^The model provider rejected the API key \(401\)\. Check LLM_API_KEY\.$/],
    [404, /does not know model "primary" \(404\)\. Check LLM_MODEL/],
    [400, /rejected the request to "primary" as invalid \(400\).*context too long/],
  ])("does not retry a permanent %i error, nor fall back", async (status, message) => {
    const { model, server, delays } = await setup(provider, [{ status, message: "context too long" }], {
      fallback: "backup",
    });
    const error = await failure(model.generate(request));
    expect(error.code).toBe("model_permanent");
    expect(error.expected).toBe(true);
    expect(error.message).toMatch(message);
    expect(server.requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });
});
