import { cancellable, throwIfCancelled } from "./cancellation.js";
import type { Model, ModelRequest, ModelResponse, ToolCallRequest, Usage } from "./model.js";
import { countTokens } from "./tokens.js";

/**
 * A model driven by a script, for tests and offline benchmarks. The script sees the exact request
 * (so it can check whether a fact is still visible in the prompt) and the 0-based turn number.
 * Token counts are deterministic (characters / 4 of a canonical rendering of the prompt) and prompt
 * caching is simulated: the tokens of the longest prefix shared with the previous request count as
 * cached when there are at least `minimumCachedTokens` of them (providers' minimum is ~1024).
 */
export interface ScriptedToolCall {
  /** Defaults to `call_<turn>_<index>`. */
  id?: string;
  name: string;
  /** An object is serialized with JSON.stringify; a string is passed as is (it may be malformed on purpose). */
  arguments: string | Record<string, unknown>;
}

export interface ScriptedReply {
  text?: string;
  toolCalls?: ScriptedToolCall[];
  /** Overrides the computed counts. */
  usage?: Partial<Usage>;
  finishReason?: ModelResponse["finishReason"];
}

export type Script = (request: ModelRequest, turn: number) => ScriptedReply | Promise<ScriptedReply>;

export interface ScriptedModel extends Model {
  /** Every request received, in order (messages copied, signal left out). */
  readonly requests: ModelRequest[];
}

export interface ScriptedModelOptions {
  name?: string;
  /** Default 1024. */
  minimumCachedTokens?: number;
}

export function scriptedModel(script: Script, options: ScriptedModelOptions = {}): ScriptedModel {
  const name = options.name ?? "scripted";
  const minimumCachedTokens = options.minimumCachedTokens ?? 1024;
  const requests: ModelRequest[] = [];
  let previousPrompt = "";
  return {
    name,
    requests,
    async generate(request) {
      throwIfCancelled(request.signal);
      const turn = requests.length;
      requests.push({
        messages: [...request.messages],
        tools: [...request.tools],
        maxOutputTokens: request.maxOutputTokens,
      });
      const reply = await cancellable(Promise.resolve(script(request, turn)), request.signal);
      const prompt = promptText(request);
      const cachedTokens = countTokens(prompt.slice(0, sharedPrefixLength(previousPrompt, prompt)));
      previousPrompt = prompt;
      const toolCalls = (reply.toolCalls ?? []).map((call, index) => toToolCall(call, turn, index));
      const text = reply.text ?? "";
      return {
        text,
        toolCalls,
        usage: {
          inputTokens: countTokens(prompt),
          outputTokens: countTokens(text + toolCalls.map((call) => call.name + call.arguments).join("")),
          cachedTokens: cachedTokens >= minimumCachedTokens ? cachedTokens : 0,
          ...reply.usage,
        },
        model: name,
        finishReason: reply.finishReason ?? (toolCalls.length > 0 ? "tool_calls" : "stop"),
      };
    },
  };
}

/** A canonical text rendering of a request's prompt (tools, then messages), for counting and matching. */
export function promptText(request: Pick<ModelRequest, "messages" | "tools">): string {
  return JSON.stringify({ tools: request.tools, messages: request.messages });
}

function toToolCall(call: ScriptedToolCall, turn: number, index: number): ToolCallRequest {
  return {
    id: call.id ?? `call_${turn}_${index}`,
    name: call.name,
    arguments: typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments),
  };
}

function sharedPrefixLength(left: string, right: string): number {
  const limit = Math.min(left.length, right.length);
  let index = 0;
  while (index < limit && left.charCodeAt(index) === right.charCodeAt(index)) index++;
  return index;
}
