import { wholeSize } from "./artifacts.js";
import type { Message, ToolDefinition } from "./model/model.js";
import { countTokens } from "./model/tokens.js";
import type { RunState, StoredMessage } from "./state.js";
import { openingLength, placeholderExcerpt, renderSummary, summaryBoundary } from "./summarize.js";
import { untrusted } from "./tool-runner.js";

/**
 * Builds the prompt from the transcript, and decides (in `advanceContext`, after each tool result)
 * what the prompt leaves out. Every tool call keeps its whole output in the ledger (and clipped
 * outputs in an artifact), so anything left out can be reloaded with `read_artifact`.
 *
 * - Masking: older tool outputs become a short placeholder with their handle. The boundary moves in
 *   batches (`keepRecent + batch` unmasked outputs pile up, then all but `keepRecent` are masked), so
 *   between batches each prompt extends the previous one and provider prompt caches keep hitting.
 *   Short outputs (a placeholder would be as long) and errors stay visible, so the model does not
 *   repeat a call that failed. A masked output's placeholder replaces its content in the transcript
 *   itself (`maskedSize` keeps the original length), so checkpoints stay small however long the run.
 * - Compaction: when the prompt still approaches the context window, older turns are replaced by a
 *   deterministic summary (summarize.ts; no model call, so no tokens spent and no randomness). The
 *   task's opening messages (system prompt, thread context, the request) are always kept whole.
 *
 * `buildPrompt` depends on the state alone and always renders the same bytes for the same state.
 */
export interface ContextOptions {
  /** `false` sends the whole transcript every turn (the naive baseline the benchmark compares with). */
  enabled: boolean;
  /** Large tool outputs always shown whole, counting back from the newest. At least 1. */
  keepRecent: number;
  /** How many more large outputs pile up past `keepRecent` before the next batch is masked. */
  batch: number;
  /** The model's context window, in tokens. */
  contextWindow: number;
  /** Compact when the estimated request reaches this share of the window. */
  compactAt: number;
  /** Tokens of each request outside the messages (the tool definitions). */
  reservedTokens: number;
}

/** Tuned with `npm run bench:context` (see bench/results/context.md). */
export const defaultContextOptions: ContextOptions = {
  enabled: true,
  keepRecent: 1,
  batch: 8,
  contextWindow: 128_000,
  compactAt: 0.8,
  reservedTokens: 0,
};

/** Outputs shorter than this are never masked. */
export const maskableCharacters = 1000;
/** Errors are masked only when longer than this, and then keep their start visible. */
const maskableErrorCharacters = 4000;
const keptErrorCharacters = 1500;
const excerptCharacters = 160;
const placeholderStart = "[Earlier output of ";
/** After compaction, the turns kept whole take at most this share of the window... */
const tailShare = 0.4;
/** ...and the summary at most this share. */
const summaryShare = 0.15;

export function contextOptions(
  settings: { contextWindow?: number; contextManagement?: Partial<ContextOptions> },
  tools: ToolDefinition[] = [],
): ContextOptions {
  return {
    ...defaultContextOptions,
    reservedTokens: tools.length > 0 ? countTokens(JSON.stringify(tools)) : 0,
    ...settings.contextManagement,
    contextWindow:
      settings.contextWindow ??
      settings.contextManagement?.contextWindow ??
      defaultContextOptions.contextWindow,
  };
}

export function buildPrompt(state: RunState): Message[] {
  const { messages } = state;
  const opening = openingLength(messages);
  const resumeAt = Math.max(opening, state.summarizedThrough);
  const prompt: Message[] = messages.slice(0, opening).map(canonical);
  if (resumeAt > opening) prompt.push({ role: "user", content: state.summary });
  let ordinal = messages.slice(0, resumeAt).filter((message) => message.role === "tool").length;
  for (const message of messages.slice(resumeAt)) {
    if (message.role === "tool") ordinal += 1;
    // Checkpoints written before masking was kept in the transcript are masked here instead.
    const masked = message.role === "tool" && ordinal <= state.maskedThrough && isMaskable(message);
    prompt.push(masked ? { ...canonical(message), content: placeholder(message) } : canonical(message));
  }
  return prompt;
}

/** Moves the mask boundary, and compacts older turns when the prompt nears the window. */
export function advanceContext(state: RunState, options: ContextOptions): void {
  if (!options.enabled) return;
  const keepRecent = Math.max(1, options.keepRecent);
  maskInBatches(state, keepRecent, Math.max(1, options.batch));
  const limit = options.contextWindow * options.compactAt;
  if (promptTokens(state, options) < limit) return;
  // Near the window: mask everything but the most recent outputs now rather than at the next batch...
  maskInBatches(state, keepRecent, 1);
  if (promptTokens(state, options) < limit) return;
  // ...and if that is not enough, summarize older turns.
  compact(state, options);
}

/** The estimated size of the next request, in tokens. */
export function promptTokens(state: RunState, options: Pick<ContextOptions, "reservedTokens">): number {
  return countTokens(JSON.stringify(buildPrompt(state))) + options.reservedTokens;
}

function maskInBatches(state: RunState, keepRecent: number, batch: number): void {
  const unmasked: number[] = [];
  let ordinal = 0;
  let unseen = 0;
  for (const message of state.messages) {
    // Outputs after the latest model turn have not been seen by the model yet: they are never masked.
    if (message.role === "assistant") unseen = 0;
    if (message.role !== "tool") continue;
    ordinal += 1;
    if (ordinal > state.maskedThrough && isMaskable(message)) {
      unmasked.push(ordinal);
      unseen += 1;
    }
  }
  const keep = Math.max(keepRecent, unseen);
  if (unmasked.length < keep + batch) return;
  state.maskedThrough = unmasked[unmasked.length - keep - 1]!;
  ordinal = 0;
  state.messages = state.messages.map((message) => {
    if (message.role !== "tool") return message;
    ordinal += 1;
    if (ordinal > state.maskedThrough || !isMaskable(message)) return message;
    return { ...message, content: placeholder(message), maskedSize: wholeSize(message.content) };
  });
}

function compact(state: RunState, options: ContextOptions): void {
  const { messages } = state;
  const opening = openingLength(messages);
  const from = Math.max(opening, state.summarizedThrough);
  const rendered = buildPrompt(state);
  // Sizes by transcript index: the prompt holds the opening, maybe a summary, then messages[from...].
  const offset = rendered.length - (messages.length - from);
  const sizes = messages.map((_message, index) =>
    index < from ? 0 : countTokens(JSON.stringify(rendered[index - from + offset])),
  );
  const boundary = summaryBoundary(messages, sizes, from, options.contextWindow * tailShare);
  if (boundary === undefined) return;
  state.summarizedThrough = boundary;
  state.summary = renderSummary(messages, opening, boundary, options.contextWindow * summaryShare * 4);
}

type ToolMessage = Extract<StoredMessage, { role: "tool" }>;

function isMaskable(message: ToolMessage): boolean {
  if (message.maskedSize !== undefined) return false;
  if (message.isError) return message.content.length > maskableErrorCharacters;
  return message.content.length >= maskableCharacters;
}

/** What a masked output shows: its size, its handle, and how it began (still fenced if it came from outside). */
function placeholder(message: ToolMessage): string {
  const reload = JSON.stringify({ toolCallId: message.toolCallId });
  const fence = /^<untrusted_data source="([^"]*)">\n/.exec(message.content);
  const body = fence ? message.content.slice(fence[0].length) : message.content;
  const note =
    `${placeholderStart}${message.name} (call ${message.toolCallId}, ${wholeSize(message.content)} characters) ` +
    `hidden to save space. Reload it with read_artifact ${reload}; add "find" or "offset" and "length" ` +
    "to read a part.";
  if (message.isError) return `${note}${placeholderExcerpt}${message.content.slice(0, keptErrorCharacters)}`;
  const excerpt = body
    .slice(0, excerptCharacters * 2)
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, excerptCharacters);
  return `${note}${placeholderExcerpt}${fence ? untrusted(fence[1]!, excerpt) : excerpt}`;
}

/** A copy with keys in one fixed order, whatever order the stored JSON had: the same state, the same bytes. */
function canonical(message: StoredMessage): Message {
  switch (message.role) {
    case "system":
    case "user":
      return { role: message.role, content: message.content };
    case "assistant":
      return message.toolCalls
        ? {
            role: "assistant",
            content: message.content,
            toolCalls: message.toolCalls.map((call) => ({
              id: call.id,
              name: call.name,
              arguments: call.arguments,
            })),
          }
        : { role: "assistant", content: message.content };
    case "tool":
      return {
        role: "tool",
        toolCallId: message.toolCallId,
        name: message.name,
        content: message.content,
        ...(message.isError ? { isError: true } : {}),
      };
  }
}
