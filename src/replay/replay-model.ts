import { CodedError } from "../errors.js";
import type { Model, ModelResponse } from "../harness/model/model.js";
import type { RecordedStep } from "./recording.js";

/**
 * A model that answers with the recorded model outputs, in order, whatever it is asked: the harness
 * around it is the current code, the model's behaviour is the recording's. When the harness asks for
 * more turns than were recorded, `exhausted` decides what to throw (the recorded failure, a
 * cancellation, or an error that ends the replay).
 */
export function replayModel(
  steps: readonly RecordedStep[],
  exhausted: (turn: number, recordedTurns: number) => Error,
): Model & { readonly turnsTaken: number } {
  const turns = steps.filter((step) => step.kind === "model");
  let turn = 0;
  return {
    name: "replay",
    get turnsTaken() {
      return turn;
    },
    async generate() {
      const step = turns[turn];
      turn += 1;
      if (!step) throw exhausted(turn, turns.length);
      return responseOf(step);
    },
  };
}

function responseOf(step: RecordedStep): ModelResponse {
  const data = (step.data ?? {}) as {
    model?: unknown;
    text?: unknown;
    toolCalls?: unknown;
    finishReason?: unknown;
  };
  const toolCalls = (Array.isArray(data.toolCalls) ? data.toolCalls : []).map((call: unknown) => {
    const fields = (call ?? {}) as { id?: unknown; name?: unknown; arguments?: unknown };
    return {
      id: String(fields.id ?? ""),
      name: String(fields.name ?? ""),
      arguments:
        typeof fields.arguments === "string" ? fields.arguments : JSON.stringify(fields.arguments ?? {}),
    };
  });
  const finishReasons = ["stop", "tool_calls", "length", "other"] as const;
  const finishReason = finishReasons.find((reason) => reason === data.finishReason);
  return {
    text: typeof data.text === "string" ? data.text : "",
    toolCalls,
    usage: {
      inputTokens: step.inputTokens,
      outputTokens: step.outputTokens,
      cachedTokens: step.cachedTokens,
    },
    model: typeof data.model === "string" ? data.model : "replay",
    finishReason: finishReason ?? (toolCalls.length > 0 ? "tool_calls" : "stop"),
  };
}

/** The error a recorded run's last model call failed with (its `model_error` stop). */
export function recordedModelFailure(message: string | undefined): CodedError {
  return new CodedError("model_transient", message ?? "The model failed (as recorded).");
}
