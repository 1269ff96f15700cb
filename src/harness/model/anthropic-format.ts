import type {
  Message as AnthropicMessage,
  ContentBlock,
  MessageCreateParamsNonStreaming,
  StopReason,
  TextBlockParam,
  Tool,
  ToolResultBlockParam,
  ToolUseBlockParam,
} from "@anthropic-ai/sdk/resources/messages";
import type { Message, ModelRequest, ModelResponse, ToolCallRequest } from "./model.js";

/**
 * Our provider-neutral messages to the Anthropic Messages API and back. Pure and deterministic.
 *
 * - Leading system messages become the `system` blocks; a system message later in the conversation
 *   becomes a user text block (the API has no system role inside `messages`).
 * - Consecutive messages with the same role are merged, so all tool results answering one assistant
 *   turn travel in one user message, as the API requires.
 * - Prompt caching: the prefix is tools → system → messages. `cache_control` marks the end of the
 *   system prompt (or the last tool when there is no system prompt), the last block of the final
 *   message (written now, read by the next call) and the last block of the user message before it
 *   (where the previous call's prompt ended, so it hits even after many new blocks). At most 3 of the
 *   4 allowed breakpoints.
 */
type Block = TextBlockParam | ToolUseBlockParam | ToolResultBlockParam;
type Turn = { role: "user" | "assistant"; content: Block[] };

const emptyText = "(empty)";

export function toMessagesRequest(
  request: ModelRequest,
  options: { model: string; maxOutputTokens: number },
): MessageCreateParamsNonStreaming {
  const system: TextBlockParam[] = [];
  const turns: Turn[] = [];
  for (const message of request.messages) {
    if (message.role === "system" && turns.length === 0) {
      system.push({ type: "text", text: nonEmpty(message.content) });
      continue;
    }
    const turn = toTurn(message);
    const previous = turns.at(-1);
    if (previous && previous.role === turn.role) previous.content.push(...turn.content);
    else turns.push(turn);
  }
  const tools: Tool[] = request.tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    input_schema: tool.parameters as Tool["input_schema"],
  }));
  markCacheBreakpoints(system, tools, turns);
  const body: MessageCreateParamsNonStreaming = {
    model: options.model,
    max_tokens: request.maxOutputTokens ?? options.maxOutputTokens,
    messages: turns,
  };
  if (system.length > 0) body.system = system;
  if (tools.length > 0) body.tools = tools;
  return body;
}

function toTurn(message: Message): Turn {
  switch (message.role) {
    case "system":
    case "user":
      return { role: "user", content: [{ type: "text", text: nonEmpty(message.content) }] };
    case "assistant": {
      const content: Block[] = [];
      if (message.content !== "") content.push({ type: "text", text: message.content });
      for (const call of message.toolCalls ?? []) {
        content.push({ type: "tool_use", id: call.id, name: call.name, input: toolInput(call.arguments) });
      }
      if (content.length === 0) content.push({ type: "text", text: emptyText });
      return { role: "assistant", content };
    }
    case "tool": {
      const result: ToolResultBlockParam = {
        type: "tool_result",
        tool_use_id: message.toolCallId,
        content: message.content,
      };
      if (message.isError) result.is_error = true;
      return { role: "user", content: [result] };
    }
  }
}

/** `tool_use.input` must be an object; malformed arguments are kept visible rather than dropped. */
function toolInput(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // Not JSON: fall through.
  }
  return { invalidArguments: text };
}

function nonEmpty(text: string): string {
  return text === "" ? emptyText : text;
}

function markCacheBreakpoints(system: TextBlockParam[], tools: Tool[], turns: Turn[]): void {
  const endOfSystem = system.at(-1);
  if (endOfSystem) endOfSystem.cache_control = { type: "ephemeral" };
  else {
    const lastTool = tools.at(-1);
    if (lastTool) lastTool.cache_control = { type: "ephemeral" };
  }
  const last = turns.at(-1);
  markLastBlock(last);
  const earlierUser = turns.slice(0, -1).findLast((turn) => turn.role === "user");
  markLastBlock(earlierUser);
}

function markLastBlock(turn: Turn | undefined): void {
  const block = turn?.content.at(-1);
  if (block) block.cache_control = { type: "ephemeral" };
}

export function fromMessage(message: AnthropicMessage, model: string): ModelResponse {
  const texts: string[] = [];
  const toolCalls: ToolCallRequest[] = [];
  for (const block of message.content as ContentBlock[]) {
    if (block.type === "text") texts.push(block.text);
    if (block.type === "tool_use") {
      toolCalls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) });
    }
  }
  const usage = message.usage;
  const cacheRead = usage?.cache_read_input_tokens ?? 0;
  const cacheWrite = usage?.cache_creation_input_tokens ?? 0;
  return {
    text: texts.join(""),
    toolCalls,
    usage: {
      inputTokens: (usage?.input_tokens ?? 0) + cacheRead + cacheWrite,
      outputTokens: usage?.output_tokens ?? 0,
      cachedTokens: cacheRead,
    },
    model,
    finishReason: finishReason(message.stop_reason, toolCalls.length),
  };
}

function finishReason(reason: StopReason | null, toolCallCount: number): ModelResponse["finishReason"] {
  if (reason === "max_tokens") return "length";
  if (reason === "tool_use" || toolCallCount > 0) return "tool_calls";
  if (reason === "end_turn" || reason === "stop_sequence") return "stop";
  return "other";
}
