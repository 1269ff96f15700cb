import { createHash } from "node:crypto";
import { stableJson } from "./ledger.js";
import type { RunState } from "./state.js";

/**
 * Doom-loop detection: the same call with the same arguments repeated (default 3 times in a row), or
 * no new result over N steps. The first time the model gets a corrective note; the second time the
 * run stops with an explanation.
 */
export interface LoopLimits {
  repeatedCalls: number;
  stepsWithoutProgress: number;
}

export const defaultLoopLimits: LoopLimits = { repeatedCalls: 3, stepsWithoutProgress: 8 };

export function callSignature(name: string, rawArguments: string): string {
  let normalized = rawArguments;
  try {
    normalized = stableJson(JSON.parse(rawArguments));
  } catch {
    // malformed arguments are compared as sent
  }
  return `${name} ${normalized}`;
}

/** Records a completed call and its result; returns what the loop should do about it. */
export function observeCall(
  state: RunState,
  signature: string,
  result: string,
  limits: LoopLimits,
): "ok" | "warn" | "stop" {
  state.recentCalls = [...state.recentCalls, signature].slice(-limits.repeatedCalls);
  const hash = createHash("sha256").update(result).digest("hex").slice(0, 16);
  state.stepsWithoutProgress = state.resultHashes.includes(hash) ? state.stepsWithoutProgress + 1 : 0;
  state.resultHashes = [...state.resultHashes, hash].slice(-50);
  const repeated =
    state.recentCalls.length >= limits.repeatedCalls && state.recentCalls.every((call) => call === signature);
  if (!repeated && state.stepsWithoutProgress < limits.stepsWithoutProgress) return "ok";
  if (state.loopWarnings > 0) return "stop";
  state.loopWarnings += 1;
  state.recentCalls = [];
  state.stepsWithoutProgress = 0;
  return "warn";
}

export function loopNote(signature: string): string {
  return (
    `Note from the harness: you are repeating yourself (${signature.slice(0, 200)}) without new results. ` +
    "Do not repeat the same call. Change your approach, or give your final answer with what you have."
  );
}
