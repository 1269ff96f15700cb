import type { Message } from "./model/model.js";
import type { RunState } from "./state.js";

/**
 * Builds the prompt from the transcript. Older tool outputs are masked in batches (not every turn, so
 * the prompt prefix stays stable for provider prompt caching); a masked output keeps its handle so the
 * model can reload it with `read_artifact`.
 */
export interface MaskingOptions {
  /** Tool outputs always shown in full, newest first. */
  keepRecent: number;
  /** Mask only when this many more outputs have piled up past `keepRecent`. */
  batch: number;
}

export const defaultMasking: MaskingOptions = { keepRecent: 6, batch: 6 };

export function buildPrompt(state: RunState): Message[] {
  let toolIndex = 0;
  return state.messages.map((message) => {
    if (message.role !== "tool") return message;
    toolIndex += 1;
    if (toolIndex > state.maskedThrough) return message;
    return { ...message, content: maskedPlaceholder(message.name, message.toolCallId, message.content) };
  });
}

/** Moves the mask boundary forward by a whole batch when enough unmasked outputs have piled up. */
export function advanceMask(state: RunState, options: MaskingOptions = defaultMasking): void {
  const toolCount = state.messages.filter((message) => message.role === "tool").length;
  if (toolCount - state.maskedThrough >= options.keepRecent + options.batch) {
    state.maskedThrough = toolCount - options.keepRecent;
  }
}

function maskedPlaceholder(tool: string, callId: string, content: string): string {
  const firstLine = content.split("\n", 1)[0]?.slice(0, 120) ?? "";
  return (
    `[Output of ${tool} hidden to save space (${content.length} characters; began: "${firstLine}"). ` +
    `Reload it with read_artifact {"toolCallId":"${callId}"}.]`
  );
}
