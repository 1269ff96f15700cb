import Anthropic from "@anthropic-ai/sdk";
import type { AdapterOptions } from "./adapter-options.js";
import { fromMessage, toMessagesRequest } from "./anthropic-format.js";
import { callWithDeadline } from "./deadline.js";
import type { Model } from "./model.js";

/**
 * One attempt at an Anthropic Messages call through the official SDK (its retries off). Works with
 * Anthropic-compatible endpoints too (MiniMax, DeepSeek, ...) via `baseUrl`, given with or without a
 * trailing `/v1` (the SDK adds `/v1/messages` itself).
 */
export const anthropicDefaultBaseUrl = "https://api.anthropic.com";

/** The API requires `max_tokens`; used when the request does not say. */
export const defaultMaxOutputTokens = 8192;

export function createAnthropicModel(options: AdapterOptions & { maxOutputTokens?: number }): Model {
  const baseUrl = (options.baseUrl ?? anthropicDefaultBaseUrl).replace(/\/+$/, "").replace(/\/v1$/, "");
  const timeout = Math.max(1, Math.ceil(options.timeoutMs));
  // Every option the SDK would otherwise read from the environment is passed explicitly.
  const client = new Anthropic({
    baseURL: baseUrl,
    apiKey: options.apiKey ?? "",
    webhookKey: null,
    maxRetries: 0,
    timeout,
    logLevel: "off",
  });
  const maxOutputTokens = options.maxOutputTokens ?? defaultMaxOutputTokens;
  const failure = { model: options.name, baseUrl, now: options.now ?? Date.now };
  return {
    name: options.name,
    async generate(request) {
      const body = toMessagesRequest(request, { model: options.name, maxOutputTokens });
      return callWithDeadline(
        { signal: request.signal, timeoutMs: options.timeoutMs, failure },
        async (signal) => {
          const message = await client.messages.create(body, { signal, timeout, maxRetries: 0 });
          return fromMessage(message, options.name);
        },
      );
    },
  };
}
