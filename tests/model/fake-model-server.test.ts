import { afterEach, describe, expect, it } from "vitest";
import { createModel } from "../../src/harness/model/index.js";
import { type FakeModelServer, startFakeModelServer } from "../support/fake-model-server.js";

let server: FakeModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The text of the last user message, in either API's format. */
function lastUserText(body: FakeModelServer["requests"][number]["body"]): string {
  const content = body.messages.at(-1)?.content;
  if (typeof content === "string") return content;
  return (content as Array<{ text: string }>)[0]!.text;
}

describe("fake model server", () => {
  it("answers many concurrent calls in both formats, each with its own answer", async () => {
    server = await startFakeModelServer({
      reply: async (body, call) => {
        await new Promise((resolve) => setTimeout(resolve, call.index % 7));
        return { text: `echo ${lastUserText(body)}` };
      },
    });
    const models = (["openai", "anthropic"] as const).map((provider) =>
      createModel({
        provider,
        baseUrl: server!.url,
        apiKey: "k",
        name: "m",
        timeoutMs: 10_000,
        maxRetries: 0,
      }),
    );
    const calls = Array.from({ length: 200 }, (_, index) =>
      models[index % 2]!.generate({ messages: [{ role: "user", content: `message ${index}` }], tools: [] }),
    );
    const answers = await Promise.all(calls);
    expect(answers.map((answer) => answer.text)).toEqual(calls.map((_, index) => `echo message ${index}`));
    expect(server.requests).toHaveLength(200);
    expect(new Set(server.requests.map((request) => request.index)).size).toBe(200);
    expect(server.requests.filter((request) => request.api === "anthropic")).toHaveLength(100);
    expect(server.errors).toEqual([]);
  });

  it("closes promptly while a request hangs", async () => {
    let received: () => void = () => {};
    const arrived = new Promise<void>((resolve) => {
      received = resolve;
    });
    server = await startFakeModelServer({
      reply: () => {
        received();
        return { hang: true };
      },
    });
    const model = createModel({
      provider: "openai",
      baseUrl: server.url,
      name: "m",
      timeoutMs: 60_000,
      maxRetries: 0,
    });
    const pending = model
      .generate({ messages: [{ role: "user", content: "hi" }], tools: [] })
      .catch((error) => error);
    await arrived;
    const started = Date.now();
    await server.close();
    server = undefined;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await pending).toMatchObject({ code: "model_transient" });
  });

  it("answers 500 and records the error when the reply function throws", async () => {
    server = await startFakeModelServer({
      reply: () => {
        throw new Error("script bug");
      },
    });
    const model = createModel({
      provider: "openai",
      baseUrl: server.url,
      name: "m",
      timeoutMs: 5000,
      maxRetries: 0,
    });
    const error = await model
      .generate({ messages: [{ role: "user", content: "hi" }], tools: [] })
      .catch((caught) => caught);
    expect(error).toMatchObject({ code: "model_transient" });
    expect(String(error.message)).toMatch(/reply threw: Error: script bug/);
    expect(server.errors).toHaveLength(1);
  });

  it("answers 404 for unknown routes, which the adapter reports as a permanent error", async () => {
    server = await startFakeModelServer({ reply: () => ({ text: "unreachable" }) });
    const model = createModel({
      provider: "openai",
      baseUrl: `${server.url}/wrong`,
      name: "m",
      timeoutMs: 5000,
      maxRetries: 3,
    });
    const error = await model
      .generate({ messages: [{ role: "user", content: "hi" }], tools: [] })
      .catch((caught) => caught);
    expect(error).toMatchObject({ code: "model_permanent" });
    expect(server.requests).toHaveLength(0);
  });
});
