import OpenAI from "openai";
import type { AdapterOptions } from "./adapter-options.js";
import { callWithDeadline } from "./deadline.js";
import type { Model } from "./model.js";
import { fromChatCompletion, toChatCompletionsRequest } from "./openai-format.js";

/**
 * One attempt at a Chat Completions call through the official SDK (its retries off): OpenAI and every
 * compatible server (DeepSeek, Qwen, MiniMax, vLLM, Ollama) via `baseUrl`. Failures come out as coded
 * errors; retries and fallback are layered on top (see index.ts).
 */
export const openAIDefaultBaseUrl = "https://api.openai.com/v1";

export function createOpenAIModel(options: AdapterOptions): Model {
  const baseUrl = options.baseUrl ?? openAIDefaultBaseUrl;
  const timeout = Math.max(1, Math.ceil(options.timeoutMs));
  // Every option the SDK would otherwise read from the environment is passed explicitly.
  const client = new OpenAI({
    baseURL: baseUrl,
    // Local servers (vLLM, Ollama) take no key, but the SDK insists on one.
    apiKey: options.apiKey ?? "no-key",
    adminAPIKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    maxRetries: 0,
    timeout,
    logLevel: "off",
  });
  const maxTokensField =
    new URL(baseUrl).hostname === "api.openai.com" ? "max_completion_tokens" : "max_tokens";
  const failure = { model: options.name, baseUrl, now: options.now ?? Date.now };
  return {
    name: options.name,
    async generate(request) {
      const body = toChatCompletionsRequest(request, { model: options.name, maxTokensField });
      return callWithDeadline(
        { signal: request.signal, timeoutMs: options.timeoutMs, failure },
        async (signal) => {
          const completion = await client.chat.completions.create(body, { signal, timeout, maxRetries: 0 });
          return fromChatCompletion(completion, options.name);
        },
      );
    },
  };
}
