import { createHash } from "node:crypto";
import type { ModelRequest } from "../../src/harness/model/model.js";
import { promptText } from "../../src/harness/model/scripted.js";
import { countTokens } from "../../src/harness/model/tokens.js";

/**
 * What a run's requests cost, measured on the requests the scripted model actually received, with the
 * pinned tokenizer (src/harness/model/tokens.ts: 4 characters a token) and a simulated prompt cache:
 * the longest prefix shared with the previous request is cached when it is at least 1024 tokens.
 */
export const minimumCachedTokens = 1024;

/** Cache-weighted cost, in units of one uncached-at-base-price input token. */
export const costWeights = { uncached: 1.25, cached: 0.1, output: 5 };

export interface Measure {
  requests: number;
  promptTokens: number;
  peakPromptTokens: number;
  cachedTokens: number;
  outputTokens: number;
  /** Requests whose earlier messages were not all kept unchanged (a batch masked, a summary written). */
  cacheBreaks: number;
  /** Cached tokens / prompt tokens over the requests after the first. */
  stablePrefixRatio: number;
  cost: number;
  /** Digest of every request's bytes, to check that two runs sent the same prompts. */
  digest: string;
}

export function measure(requests: ModelRequest[], outputTokens: number): Measure {
  const digest = createHash("sha256");
  let previousText = "";
  let previousMessages: string[] = [];
  let promptTokens = 0;
  let peakPromptTokens = 0;
  let cachedTokens = 0;
  let laterPromptTokens = 0;
  let cacheBreaks = 0;
  requests.forEach((request, index) => {
    const text = promptText(request);
    digest.update(text).update("\u0000");
    const tokens = countTokens(text);
    const shared = countTokens(text.slice(0, sharedPrefix(previousText, text)));
    const cached = shared >= minimumCachedTokens ? shared : 0;
    const messages = request.messages.map((message) => JSON.stringify(message));
    if (index > 0) {
      laterPromptTokens += tokens;
      if (previousMessages.some((message, position) => messages[position] !== message)) cacheBreaks += 1;
    }
    promptTokens += tokens;
    cachedTokens += cached;
    peakPromptTokens = Math.max(peakPromptTokens, tokens);
    previousText = text;
    previousMessages = messages;
  });
  const cost =
    (promptTokens - cachedTokens) * costWeights.uncached +
    cachedTokens * costWeights.cached +
    outputTokens * costWeights.output;
  return {
    requests: requests.length,
    promptTokens,
    peakPromptTokens,
    cachedTokens,
    outputTokens,
    cacheBreaks,
    stablePrefixRatio: laterPromptTokens === 0 ? 1 : cachedTokens / laterPromptTokens,
    cost,
    digest: digest.digest("hex"),
  };
}

function sharedPrefix(left: string, right: string): number {
  const limit = Math.min(left.length, right.length);
  let index = 0;
  while (index < limit && left.charCodeAt(index) === right.charCodeAt(index)) index++;
  return index;
}
