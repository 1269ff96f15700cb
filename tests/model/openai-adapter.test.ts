import { describe, expect, it } from "vitest";
import { createModel } from "../../src/harness/model/index.js";
import type { ModelRequest, ToolDefinition } from "../../src/harness/model/model.js";
import type { FakeReply } from "../support/fake-model-server.js";
import { fakeModelServerPerTest } from "./support/model-tests.js";

const weather: ToolDefinition = {
  name: "get_weather",
  description: "Current weather for a city.",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

const startServer = fakeModelServerPerTest();

async function openAIModel(replies: FakeReply[]) {
  const server = await startServer({ reply: (_body, call) => replies[call.index] ?? { status: 500 } });
  const model = createModel({
    provider: "openai",
    baseUrl: server.url,
    apiKey: "test-key",
    name: "gpt-test",
    timeoutMs: 5000,
    maxRetries: 0,
  });
  return { model, server };
}

describe("OpenAI-compatible adapter", () => {
  it("answers with text and sends the messages as Chat Completions", async () => {
    const { model, server } = await openAIModel([{ text: "Hello, Ada." }]);
    const response = await model.generate({
      messages: [
        { role: "system", content: "You are helpful." },
        { role: "user", content: "Say hello to Ada." },
      ],
      tools: [],
      maxOutputTokens: 100,
    });
    expect(response).toMatchObject({
      text: "Hello, Ada.",
      toolCalls: [],
      model: "gpt-test",
      finishReason: "stop",
    });
    const sent = server.requests[0]!;
    expect(sent.path).toBe("/v1/chat/completions");
    expect(sent.headers.authorization).toBe("Bearer test-key");
    expect(sent.body).toEqual({
      model: "gpt-test",
      messages: [
        { role: "system", content: "You are helpful." },
        { role: "user", content: "Say hello to Ada." },
      ],
      max_tokens: 100,
    });
  });

  it("round-trips tool calls: the call comes back, its result goes out in the next request", async () => {
    const { model, server } = await openAIModel([
      { toolCalls: [{ id: "call_a", name: "get_weather", arguments: { city: "Paris" } }] },
      { text: "It is sunny in Paris." },
    ]);
    const first: ModelRequest = {
      messages: [{ role: "user", content: "Weather in Paris?" }],
      tools: [weather],
    };
    const call = await model.generate(first);
    expect(call.finishReason).toBe("tool_calls");
    expect(call.toolCalls).toEqual([{ id: "call_a", name: "get_weather", arguments: '{"city":"Paris"}' }]);
    expect(server.requests[0]!.body.tools).toEqual([
      {
        type: "function",
        function: { name: weather.name, description: weather.description, parameters: weather.parameters },
      },
    ]);

    const answer = await model.generate({
      messages: [
        ...first.messages,
        { role: "assistant", content: "", toolCalls: call.toolCalls },
        { role: "tool", toolCallId: "call_a", name: "get_weather", content: "sunny, 24 °C" },
      ],
      tools: [weather],
    });
    expect(answer.text).toBe("It is sunny in Paris.");
    expect(server.requests[1]!.body.messages.slice(1)).toEqual([
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "call_a",
            type: "function",
            function: { name: "get_weather", arguments: '{"city":"Paris"}' },
          },
        ],
      },
      { role: "tool", tool_call_id: "call_a", content: "sunny, 24 °C" },
    ]);
  });

  it("marks failed tool results, since Chat Completions has no error flag", async () => {
    const { model, server } = await openAIModel([{ text: "Sorry." }]);
    await model.generate({
      messages: [
        { role: "user", content: "Weather?" },
        {
          role: "assistant",
          content: "Checking.",
          toolCalls: [{ id: "c1", name: "get_weather", arguments: "{}" }],
        },
        { role: "tool", toolCallId: "c1", name: "get_weather", content: "city is required", isError: true },
      ],
      tools: [weather],
    });
    expect(server.requests[0]!.body.messages.at(-1)).toEqual({
      role: "tool",
      tool_call_id: "c1",
      content: "Error: city is required",
    });
    expect(server.requests[0]!.body.messages.at(-2)).toMatchObject({
      role: "assistant",
      content: "Checking.",
    });
  });

  it("records usage including cached prompt tokens", async () => {
    const { model } = await openAIModel([
      { text: "ok", usage: { inputTokens: 1500, outputTokens: 7, cachedTokens: 1024 } },
    ]);
    const response = await model.generate({ messages: [{ role: "user", content: "hi" }], tools: [] });
    expect(response.usage).toEqual({ inputTokens: 1500, outputTokens: 7, cachedTokens: 1024 });
  });

  it("serializes the same request to byte-identical bodies", async () => {
    const { model, server } = await openAIModel([{ text: "one" }, { text: "two" }]);
    const request: ModelRequest = {
      messages: [
        { role: "system", content: "Rules." },
        { role: "user", content: "Go" },
        {
          role: "assistant",
          content: "",
          toolCalls: [{ id: "x", name: "get_weather", arguments: '{"city":"Oslo"}' }],
        },
        { role: "tool", toolCallId: "x", name: "get_weather", content: "snow" },
      ],
      tools: [weather],
      maxOutputTokens: 50,
    };
    await model.generate(request);
    await model.generate(structuredClone(request));
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.raw).toBe(server.requests[0]!.raw);
  });
});
