import { describe, expect, it } from "vitest";
import { isCodedError } from "../../src/errors.js";
import type { ModelRequest } from "../../src/harness/model/model.js";
import { promptText, scriptedModel } from "../../src/harness/model/scripted.js";
import {
  always,
  inOrder,
  lastToolResult,
  promptIncludes,
  textReply,
  toolCallReply,
} from "../../src/harness/model/scripts.js";
import { countTokens } from "../../src/harness/model/tokens.js";

const tools = [{ name: "read_page", description: "Read a page.", parameters: { type: "object" } }];

describe("scripted model", () => {
  it("plays replies in order, with deterministic tool call ids, and records what it was sent", async () => {
    const model = scriptedModel(
      inOrder(toolCallReply("read_page", { page: 1 }), (request) =>
        textReply(`The page said: ${lastToolResult(request)?.content}`),
      ),
    );
    const first: ModelRequest = { messages: [{ role: "user", content: "Read page 1." }], tools };
    const call = await model.generate(first);
    expect(call).toMatchObject({
      toolCalls: [{ id: "call_0_0", name: "read_page", arguments: '{"page":1}' }],
      finishReason: "tool_calls",
      model: "scripted",
    });
    const answer = await model.generate({
      messages: [
        ...first.messages,
        { role: "assistant", content: "", toolCalls: call.toolCalls },
        { role: "tool", toolCallId: "call_0_0", name: "read_page", content: "hello world" },
      ],
      tools,
    });
    expect(answer).toMatchObject({ text: "The page said: hello world", finishReason: "stop" });
    expect(model.requests).toHaveLength(2);
    expect(model.requests[1]!.messages).toHaveLength(3);
    await expect(model.generate(first)).rejects.toThrow(
      /has 2 replies, but the model was called again \(turn 2\)/,
    );
  });

  it("lets a script decide from the prompt it was given", async () => {
    const model = scriptedModel((request) =>
      promptIncludes(request, "ID-42") ? textReply("found ID-42") : toolCallReply("read_page", { page: 1 }),
    );
    const withFact = await model.generate({
      messages: [{ role: "user", content: "the id is ID-42" }],
      tools,
    });
    const without = await model.generate({ messages: [{ role: "user", content: "no id here" }], tools });
    expect(withFact.text).toBe("found ID-42");
    expect(without.toolCalls.map((call) => call.name)).toEqual(["read_page"]);
  });

  it("counts tokens deterministically and simulates a prompt cache on the shared prefix", async () => {
    const model = scriptedModel(always(textReply("ok")), { minimumCachedTokens: 100 });
    const long = "x".repeat(2000);
    const first: ModelRequest = { messages: [{ role: "user", content: long }], tools };
    const second: ModelRequest = {
      messages: [...first.messages, { role: "assistant", content: "ok" }, { role: "user", content: "more" }],
      tools,
    };
    const one = await model.generate(first);
    const two = await model.generate(second);
    expect(one.usage).toEqual({
      inputTokens: countTokens(promptText(first)),
      outputTokens: 1,
      cachedTokens: 0,
    });
    expect(two.usage.inputTokens).toBe(countTokens(promptText(second)));
    // Everything up to the end of the long user message is shared with the first prompt.
    const shared = promptText(first).length - 2; // the first prompt ends with `}]}`, the second continues `},{`
    expect(two.usage.cachedTokens).toBe(countTokens(promptText(first).slice(0, shared)));
    const again = await scriptedModel(always(textReply("ok")), { minimumCachedTokens: 100 }).generate(first);
    expect(again.usage).toEqual(one.usage);
  });

  it("lets a reply override usage, and honours the abort signal", async () => {
    const model = scriptedModel(always({ text: "x", usage: { cachedTokens: 7 } }));
    const response = await model.generate({ messages: [{ role: "user", content: "hi" }], tools: [] });
    expect(response.usage.cachedTokens).toBe(7);
    const error = await model
      .generate({ messages: [], tools: [], signal: AbortSignal.abort() })
      .catch((caught: unknown) => caught);
    expect(isCodedError(error, "run_cancelled")).toBe(true);
  });
});
