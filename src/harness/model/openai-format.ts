import type {
  ChatCompletion,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
  ChatCompletionTool,
} from "openai/resources/chat/completions";
import { CodedError } from "../../errors.js";
import type { Message, ModelRequest, ModelResponse, ToolCallRequest, ToolDefinition } from "./model.js";

/**
 * Our provider-neutral messages to Chat Completions and back. Pure and deterministic: the same request
 * always builds the same object, with keys in the same order, hence the same request bytes.
 */
export interface ChatCompletionsOptions {
  model: string;
  /** OpenAI's newer models want `max_completion_tokens`; most compatible servers want `max_tokens`. */
  maxTokensField: "max_tokens" | "max_completion_tokens";
}

/** Prefix on a failed tool's output: Chat Completions has no error flag on tool messages. */
export const toolErrorPrefix = "Error: ";

export function toChatCompletionsRequest(
  request: ModelRequest,
  options: ChatCompletionsOptions,
): ChatCompletionCreateParamsNonStreaming {
  const body: ChatCompletionCreateParamsNonStreaming = {
    model: options.model,
    messages: request.messages.map(toChatMessage),
  };
  if (request.tools.length > 0) body.tools = request.tools.map(toChatTool);
  if (request.maxOutputTokens !== undefined) body[options.maxTokensField] = request.maxOutputTokens;
  return body;
}

function toChatMessage(message: Message): ChatCompletionMessageParam {
  switch (message.role) {
    case "system":
    case "user":
      return { role: message.role, content: message.content };
    case "assistant": {
      const calls = message.toolCalls ?? [];
      if (calls.length === 0) return { role: "assistant", content: message.content };
      return {
        role: "assistant",
        content: message.content === "" ? null : message.content,
        tool_calls: calls.map((call) => ({
          id: call.id,
          type: "function",
          function: { name: call.name, arguments: call.arguments },
        })),
      };
    }
    case "tool":
      return {
        role: "tool",
        tool_call_id: message.toolCallId,
        content: message.isError ? toolErrorPrefix + message.content : message.content,
      };
  }
}

function toChatTool(tool: ToolDefinition): ChatCompletionTool {
  return {
    type: "function",
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  };
}

export function fromChatCompletion(completion: ChatCompletion, model: string): ModelResponse {
  const choice = completion.choices?.[0];
  if (!choice) {
    throw new CodedError("model_transient", `The model provider returned no answer for "${model}".`);
  }
  const toolCalls = (choice.message.tool_calls ?? []).map(fromChatToolCall);
  const usage = completion.usage;
  return {
    text: choice.message.content ?? "",
    toolCalls,
    usage: {
      inputTokens: usage?.prompt_tokens ?? 0,
      outputTokens: usage?.completion_tokens ?? 0,
      cachedTokens: cachedTokens(usage),
    },
    model,
    finishReason: finishReason(choice.finish_reason, toolCalls.length),
  };
}

function fromChatToolCall(call: ChatCompletionMessageToolCall, index: number): ToolCallRequest {
  const id = call.id || `call_${index}`;
  if (call.type === "custom") return { id, name: call.custom.name, arguments: call.custom.input };
  return { id, name: call.function.name, arguments: call.function.arguments ?? "" };
}

/** OpenAI reports `prompt_tokens_details.cached_tokens`; DeepSeek reports `prompt_cache_hit_tokens`. */
function cachedTokens(usage: ChatCompletion["usage"]): number {
  if (!usage) return 0;
  const deepSeek = (usage as { prompt_cache_hit_tokens?: unknown }).prompt_cache_hit_tokens;
  return usage.prompt_tokens_details?.cached_tokens ?? (typeof deepSeek === "number" ? deepSeek : 0);
}

function finishReason(
  reason: string | null | undefined,
  toolCallCount: number,
): ModelResponse["finishReason"] {
  if (reason === "length") return "length";
  if (toolCallCount > 0 || reason === "tool_calls" || reason === "function_call") return "tool_calls";
  if (reason === "stop") return "stop";
  return "other";
}
