import type { NextStep } from "./next-step.js";
import type { RunState } from "./state.js";

export interface Budgets {
  maxSteps: number;
  maxTokens: number;
  maxCostUsd: number;
  maxWallMs: number;
}

/** Stop conditions compose: the first one that holds ends the run. */
export function checkBudgets(
  state: RunState,
  budgets: Budgets,
  now: number,
): Extract<NextStep, { type: "stop" }> | undefined {
  const tokens = state.usage.inputTokens + state.usage.outputTokens;
  if (state.turn >= budgets.maxSteps) {
    return {
      type: "stop",
      reason: "max_steps",
      detail: `${state.turn} of ${budgets.maxSteps} model turns used`,
    };
  }
  if (tokens >= budgets.maxTokens) {
    return { type: "stop", reason: "token_budget", detail: `${tokens} of ${budgets.maxTokens} tokens used` };
  }
  if (state.costMicros >= budgets.maxCostUsd * 1_000_000) {
    return {
      type: "stop",
      reason: "cost_budget",
      detail: `$${(state.costMicros / 1_000_000).toFixed(2)} of $${budgets.maxCostUsd.toFixed(2)} spent`,
    };
  }
  const working = now - state.startedAt - state.waitedMs;
  if (working >= budgets.maxWallMs) {
    return {
      type: "stop",
      reason: "time_budget",
      detail: `${Math.round(working / 1000)} s of work`,
    };
  }
  return undefined;
}
