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
