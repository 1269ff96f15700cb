import { SpanStatusCode, trace } from "@opentelemetry/api";
import type { ModelResponse } from "../harness/model/model.js";
import type { HarnessServices, RunRecord } from "../harness/services.js";
import type { RunState } from "../harness/state.js";
import { inSpan, redactedAttributes } from "./tracing.js";

/**
 * The spans of a run (docs/operations.md): `run` (one per execution of a run's job) is the parent of
 * `step` spans, each the parent of its model call (`chat <model>`, with GenAI semantic-convention
 * attributes) or tool call (`execute_tool <name>`). Under the worker's job span, which BullMQ's
 * telemetry hook links to the web role's enqueue. Attribute values pass through the redactor.
 */
type Traced = Pick<HarnessServices, "tracer" | "redact">;

export function traceRun<Result>(services: Traced, runId: string, work: () => Promise<Result>) {
  return inSpan(services.tracer, "run", { "coworker.run.id": runId }, services.redact, async (span) => {
    const result = await work();
    span?.setAttribute("coworker.run.outcome", String(result));
    return result;
  });
}

/** Adds the run's ids to the current run span. */
export function annotateRun(services: Traced, run: RunRecord): void {
  trace
    .getActiveSpan()
    ?.setAttributes(
      redactedAttributes(
        { "coworker.workspace.id": run.workspaceId, "coworker.task.id": run.taskId },
        services.redact,
      ),
    );
}

export function traceStep<Result>(
  services: Traced,
  run: RunRecord,
  state: RunState,
  kind: "model" | "tool",
  work: () => Promise<Result>,
) {
  const attributes = {
    "coworker.run.id": run.id,
    "coworker.step.index": state.step + 1,
    "coworker.step.kind": kind,
  };
  return inSpan(services.tracer, "step", attributes, services.redact, () => work());
}

export function traceModelCall(
  services: Traced,
  model: string,
  work: () => Promise<ModelResponse>,
): Promise<ModelResponse> {
  const attributes = { "gen_ai.operation.name": "chat", "gen_ai.request.model": model };
  return inSpan(services.tracer, `chat ${model}`, attributes, services.redact, async (span) => {
    const response = await work();
    span?.setAttributes(
      redactedAttributes(
        {
          "gen_ai.response.model": response.model,
          "gen_ai.usage.input_tokens": response.usage.inputTokens,
          "gen_ai.usage.output_tokens": response.usage.outputTokens,
          "gen_ai.response.finish_reasons": [response.finishReason],
        },
        services.redact,
      ),
    );
    return response;
  });
}

export function traceToolCall<Result extends { type: string; isError?: boolean; content?: string }>(
  services: Traced,
  call: { id: string; name: string },
  work: () => Promise<Result>,
): Promise<Result> {
  const attributes = {
    "gen_ai.operation.name": "execute_tool",
    "gen_ai.tool.name": call.name,
    "gen_ai.tool.call.id": call.id,
  };
  return inSpan(services.tracer, `execute_tool ${call.name}`, attributes, services.redact, async (span) => {
    const outcome = await work();
    span?.setAttributes({
      "coworker.tool.outcome": outcome.type,
      "coworker.tool.is_error": !!outcome.isError,
    });
    if (outcome.isError) {
      // The error the model was shown (which may quote a secret: redacted like every attribute).
      const message = (outcome.content ?? "").slice(0, 500);
      span?.setStatus({
        code: SpanStatusCode.ERROR,
        message: services.redact ? services.redact(message) : message,
      });
    }
    return outcome;
  });
}
