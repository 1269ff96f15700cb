import { describe, expect, it } from "vitest";
import { createModel } from "../../src/harness/model/index.js";
import type { ModelRequest, ToolDefinition } from "../../src/harness/model/model.js";
import type { FakeReply } from "../support/fake-model-server.js";
import { fakeModelServerPerTest } from "./support/model-tests.js";

const search: ToolDefinition = {
  name: "search",
  description: "Search the web.",
  parameters: { type: "object", properties: { query: { type: "string" } }, required: ["query"] },
};
const cache = { type: "ephemeral" };

const startServer = fakeModelServerPerTest();

async function anthropicModel(replies: FakeReply[]) {
  const server = await startServer({ reply: (_body, call) => replies[call.index] ?? { status: 500 } });
  const model = createModel({
    provider: "anthropic",
    baseUrl: server.url, // given with /v1, as people often do: the adapter strips it
    apiKey: "anthropic-key",
    name: "claude-test",
    timeoutMs: 5000,
    maxRetries: 0,
    maxOutputTokens: 1000,
  });
  return { model, server };
}

describe("Anthropic adapter", () => {
  it("answers with text; system goes to `system`, max_tokens defaults", async () => {
    const { model, server } = await anthropicModel([{ text: "Bonjour." }]);
    const response = await model.generate({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Greet me in French." },
      ],
      tools: [],
    });
    expect(response).toMatchObject({
      text: "Bonjour.",
      toolCalls: [],
      model: "claude-test",
      finishReason: "stop",
    });
    const sent = server.requests[0]!;
    expect(sent.path).toBe("/v1/messages");
    // SDK 1.x sends the API key as a bearer token.
    expect(sent.headers.authorization).toBe("Bearer anthropic-key");
    expect(sent.body).toEqual({
      model: "claude-test",
      max_tokens: 1000,
      messages: [
        { role: "user", content: [{ type: "text", text: "Greet me in French.", cache_control: cache }] },
      ],
      system: [{ type: "text", text: "Be brief.", cache_control: cache }],
    });
  });

  it("round-trips tool_use and tool_result, grouping parallel results in one user message", async () => {
    const { model, server } = await anthropicModel([
      {
        text: "Searching both.",
        toolCalls: [
          { id: "toolu_1", name: "search", arguments: { query: "a" } },
          { id: "toolu_2", name: "search", arguments: { query: "b" } },
        ],
      },
      { text: "Found them." },
    ]);
    const first: ModelRequest = {
      messages: [
        { role: "system", content: "System." },
        { role: "user", content: "Find a and b." },
      ],
      tools: [search],
    };
    const call = await model.generate(first);
    expect(call).toMatchObject({
      text: "Searching both.",
      finishReason: "tool_calls",
      toolCalls: [
        { id: "toolu_1", name: "search", arguments: '{"query":"a"}' },
        { id: "toolu_2", name: "search", arguments: '{"query":"b"}' },
      ],
    });
    expect(server.requests[0]!.body.tools).toEqual([
      { name: "search", description: "Search the web.", input_schema: search.parameters },
    ]);

    await model.generate({
      messages: [
        ...first.messages,
        { role: "assistant", content: call.text, toolCalls: call.toolCalls },
        { role: "tool", toolCallId: "toolu_1", name: "search", content: "result a" },
        { role: "tool", toolCallId: "toolu_2", name: "search", content: "no such page", isError: true },
      ],
      tools: [search],
    });
    expect(server.requests[1]!.body.messages).toEqual([
      // The user message before the last one ends where the previous prompt ended: a cache breakpoint.
      { role: "user", content: [{ type: "text", text: "Find a and b.", cache_control: cache }] },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Searching both." },
          { type: "tool_use", id: "toolu_1", name: "search", input: { query: "a" } },
          { type: "tool_use", id: "toolu_2", name: "search", input: { query: "b" } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "toolu_1", content: "result a" },
          {
            type: "tool_result",
            tool_use_id: "toolu_2",
            content: "no such page",
            is_error: true,
            cache_control: cache,
          },
        ],
      },
    ]);
  });

  it("puts the breakpoint on the last tool when there is no system prompt, and keeps malformed arguments", async () => {
    const { model, server } = await anthropicModel([{ text: "ok" }]);
    await model.generate({
      messages: [
        { role: "user", content: "go" },
        { role: "assistant", content: "", toolCalls: [{ id: "t1", name: "search", arguments: "{not json" }] },
        { role: "tool", toolCallId: "t1", name: "search", content: "invalid input" },
      ],
      tools: [search],
    });
    const body = server.requests[0]!.body;
    expect(body.system).toBeUndefined();
    expect(body.tools).toEqual([{ ...toAnthropicTool(search), cache_control: cache }]);
    expect(body.messages[1]).toEqual({
      role: "assistant",
      content: [{ type: "tool_use", id: "t1", name: "search", input: { invalidArguments: "{not json" } }],
    });
  });

  it("records usage: input includes cache reads and writes, cached counts cache reads", async () => {
    const { model } = await anthropicModel([
      {
        text: "ok",
        usage: { inputTokens: 3000, outputTokens: 12, cachedTokens: 2048, cacheWriteTokens: 512 },
      },
    ]);
    const response = await model.generate({ messages: [{ role: "user", content: "hi" }], tools: [] });
    expect(response.usage).toEqual({ inputTokens: 3000, outputTokens: 12, cachedTokens: 2048 });
  });

  it("serializes the same request to byte-identical bodies", async () => {
    const { model, server } = await anthropicModel([{ text: "one" }, { text: "two" }]);
    const request: ModelRequest = {
      messages: [
        { role: "system", content: "Rules." },
        { role: "user", content: "Go" },
        {
          role: "assistant",
          content: "",
          toolCalls: [{ id: "x", name: "search", arguments: '{"query":"q"}' }],
        },
        { role: "tool", toolCallId: "x", name: "search", content: "found" },
        { role: "system", content: "Reminder: be brief." },
      ],
      tools: [search],
    };
    await model.generate(request);
    await model.generate(structuredClone(request));
    expect(server.requests[1]!.raw).toBe(server.requests[0]!.raw);
    // A later system message travels as user text, merged with the tool result before it.
    expect(server.requests[0]!.body.messages.at(-1)).toEqual({
      role: "user",
      content: [
        { type: "tool_result", tool_use_id: "x", content: "found" },
        { type: "text", text: "Reminder: be brief.", cache_control: cache },
      ],
    });
  });
});

function toAnthropicTool(tool: ToolDefinition) {
  return { name: tool.name, description: tool.description, input_schema: tool.parameters };
}
