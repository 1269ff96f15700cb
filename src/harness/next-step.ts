import type { RunState } from "./state.js";

/**
 * Every turn of the loop ends in exactly one of these. The loop is a state machine over them.
 */
export type StopReason =
  | "max_steps"
  | "token_budget"
  | "cost_budget"
  | "time_budget"
  | "loop_detected"
  | "cancelled"
  | "model_error"
  | "unknown_effect";

export type NextStep =
  | { type: "final_answer"; text: string }
  | { type: "run_again" }
  | { type: "wait_for_approval"; approvalId: string }
  | { type: "wait_for_input"; question: string }
  | { type: "stop"; reason: StopReason; detail: string };

export const stopExplanations: Record<StopReason, string> = {
  max_steps: "I reached the step limit for one request",
  token_budget: "I reached the token budget for one request",
  cost_budget: "I reached the cost budget for one request",
  time_budget: "I ran out of the time allowed for one request",
  loop_detected: "I kept repeating the same action without making progress",
  cancelled: "The task was stopped",
  model_error: "The language model could not be reached",
  unknown_effect: "I was interrupted in the middle of an action and could not confirm whether it happened",
};

export const modelNotConfigured =
  "I'm not connected to a language model yet, so I can't work on this. An admin can set LLM_MODEL " +
  "(and LLM_BASE_URL and LLM_API_KEY for an OpenAI-compatible endpoint, or LLM_PROVIDER=anthropic with " +
  "LLM_API_KEY) and restart me.";

/** One or two plain sentences for the thread: why the run stopped and what was done. */
export function explainStop(
  reason: Extract<NextStep, { type: "stop" }>["reason"],
  detail: string,
  state: RunState,
): string {
  const done = `${state.turn} model turn${state.turn === 1 ? "" : "s"} and ${state.step - state.turn} tool call${state.step - state.turn === 1 ? "" : "s"} done`;
  if (reason === "cancelled") return `Stopped as asked (${done}).`;
  if (reason === "model_error") return `I had to stop: ${detail} (${done}).`;
  return `${stopExplanations[reason]}, so I stopped (${detail}; ${done}). Ask me to continue if you want more.`;
}
