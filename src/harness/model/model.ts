import type { RetryInfo } from "./retry.js";

/**
 * The one interface every model adapter implements. Messages are provider-neutral; adapters map them
 * to Chat Completions or Anthropic Messages. Serialization must be deterministic (same messages, same
 * request bytes) so providers' prompt caches hit.
 */
export interface ToolCallRequest {
  /** The provider's id for this call (echoed back in the tool result). */
  id: string;
  name: string;
  /** Raw JSON text as the model produced it: may be malformed, the harness validates it. */
  arguments: string;
}

export type Message =
  | { role: "system"; content: string }
  | { role: "user"; content: string }
  | { role: "assistant"; content: string; toolCalls?: ToolCallRequest[] }
  | { role: "tool"; toolCallId: string; name: string; content: string; isError?: boolean };

export interface ToolDefinition {
  name: string;
  description: string;
  /** JSON Schema of the tool's input object. */
  parameters: Record<string, unknown>;
}

export interface ModelRequest {
  messages: Message[];
  tools: ToolDefinition[];
  signal?: AbortSignal;
  maxOutputTokens?: number;
  /** Called before each retry of this request (the harness records retries in the run's trace). */
  onRetry?: (info: RetryInfo) => void;
}

export interface Usage {
  /** All input tokens of the call, cached ones included. */
  inputTokens: number;
  outputTokens: number;
  /** Input tokens served from the provider's prompt cache. */
  cachedTokens: number;
}

export interface ModelResponse {
  text: string;
  toolCalls: ToolCallRequest[];
  usage: Usage;
  /** The model that actually answered (the fallback, when it was used). */
  model: string;
  finishReason: "stop" | "tool_calls" | "length" | "other";
}

export interface Model {
  readonly name: string;
  generate(request: ModelRequest): Promise<ModelResponse>;
}

export const emptyUsage: Usage = { inputTokens: 0, outputTokens: 0, cachedTokens: 0 };
