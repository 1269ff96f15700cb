import { describe, expect, it } from "vitest";
import { type CreateModelOptions, createModel, type RetryInfo } from "../../src/harness/model/index.js";
import type { FakeReply } from "../support/fake-model-server.js";
import { failure, fakeModelServerPerTest } from "./support/model-tests.js";

const startServer = fakeModelServerPerTest();

const request = { messages: [{ role: "user" as const, content: "hello" }], tools: [] };

async function setup(
  provider: "openai" | "anthropic",
  replies: FakeReply[],
  options: Partial<CreateModelOptions> = {},
) {
  let notify: () => void = () => {};
  const firstRequest = new Promise<void>((resolve) => {
    notify = resolve;
  });
  const server = await startServer({
    reply: (_body, call) => {
      notify();
      return replies[call.index] ?? replies.at(-1)!;
    },
  });
  const retries: RetryInfo[] = [];
  const model = createModel({
    provider,
    baseUrl: server.url,
    apiKey: "key",
    name: "slow-model",
    timeoutMs: 300,
    maxRetries: 0,
    onRetry: (info) => retries.push(info),
    ...options,
  });
  return { model, server, firstRequest, retries };
}

describe.each(["openai", "anthropic"] as const)("timeouts and cancellation (%s)", (provider) => {
  it("times out a call to a server that never answers", async () => {
    const { model, server } = await setup(provider, [{ hang: true }]);
    const started = Date.now();
    const error = await failure(model.generate(request));
    expect(error.code).toBe("model_timeout");
    expect(error.message).toMatch(/"slow-model" did not answer within 0.3 s/);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(server.requests).toHaveLength(1);
  });

  it("retries after a timeout", async () => {
    const { model, server, retries } = await setup(provider, [{ hang: true }, { text: "finally" }], {
      maxRetries: 1,
      sleep: async () => {},
    });
    expect((await model.generate(request)).text).toBe("finally");
    expect(server.requests).toHaveLength(2);
    expect(retries.map((retry) => retry.error.code)).toEqual(["model_timeout"]);
  });

  it("the deadline covers the body too, not just the headers", async () => {
    const { model } = await setup(provider, [{ stall: true }]);
    expect((await failure(model.generate(request))).code).toBe("model_timeout");
  });

  it("times out an answer that comes too late", async () => {
    const { model } = await setup(provider, [{ text: "too late", delayMs: 5000 }]);
    expect((await failure(model.generate(request))).code).toBe("model_timeout");
  });

  it("aborts an in-flight call at once when the caller's signal fires", async () => {
    const { model, server, firstRequest } = await setup(provider, [{ hang: true }], { timeoutMs: 60_000 });
    const controller = new AbortController();
    const pending = failure(model.generate({ ...request, signal: controller.signal }));
    await firstRequest;
    const aborted = Date.now();
    controller.abort(new Error("user pressed stop"));
    const error = await pending;
    expect(Date.now() - aborted).toBeLessThan(1000);
    expect(error.code).toBe("run_cancelled");
    expect(error.expected).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it("aborts a backoff sleep at once (real sleep, Retry-After 30 s)", async () => {
    const { model, server, firstRequest, retries } = await setup(
      provider,
      [{ status: 429, retryAfter: 30 }],
      {
        timeoutMs: 60_000,
        maxRetries: 3,
      },
    );
    const controller = new AbortController();
    const pending = failure(model.generate({ ...request, signal: controller.signal }));
    await firstRequest;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(retries).toMatchObject([{ delayMs: 30_000 }]);
    const aborted = Date.now();
    controller.abort();
    const error = await pending;
    expect(Date.now() - aborted).toBeLessThan(1000);
    expect(error.code).toBe("run_cancelled");
    expect(server.requests).toHaveLength(1);
  });

  it("aborts even when an injected sleep ignores the signal", async () => {
    const { model, firstRequest } = await setup(provider, [{ status: 500 }], {
      maxRetries: 3,
      sleep: () => new Promise<void>((resolve) => setTimeout(resolve, 20_000).unref()),
    });
    const controller = new AbortController();
    const pending = failure(model.generate({ ...request, signal: controller.signal }));
    await firstRequest;
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    expect((await pending).code).toBe("run_cancelled");
  });

  it("makes no request when the signal has already fired", async () => {
    const { model, server } = await setup(provider, [{ text: "never" }]);
    const error = await failure(model.generate({ ...request, signal: AbortSignal.abort() }));
    expect(error.code).toBe("run_cancelled");
    expect(server.requests).toHaveLength(0);
  });
});
