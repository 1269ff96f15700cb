import { type Redactor, redactJson } from "../security/redact.js";
import type { Database, Prisma } from "../storage/database.js";
import type { RecordedRetry } from "./model-retries.js";

/**
 * A model call that failed for good (after its retries) leaves no model step behind, so the trace
 * would not show why the run stopped. This writes a `note` step for it, right after the last step,
 * without touching the run's state: `{ type: "model_error", model, error, retries }`. Writing it twice
 * (a retried job failing at the same place) keeps the first.
 */
export interface ModelFailure {
  runId: string;
  /** The index the failed model turn would have had: the run state's `step + 1`. */
  index: number;
  model: string;
  error: string;
  retries: RecordedRetry[];
  latencyMs: number;
}

export async function recordModelFailure(
  database: Database,
  failure: ModelFailure,
  options: { redact?: Redactor | undefined } = {},
): Promise<{ kind: "note"; data: Prisma.InputJsonValue; latencyMs: number }> {
  const recorded = {
    type: "model_error",
    model: failure.model,
    error: failure.error.slice(0, 2000),
    retries: failure.retries,
  } as unknown as Prisma.InputJsonValue;
  // Provider errors can quote what they were sent: the trace never holds a secret.
  const data = options.redact ? redactJson(recorded, options.redact) : recorded;
  await database.step.createMany({
    data: [{ runId: failure.runId, index: failure.index, kind: "note", data, latencyMs: failure.latencyMs }],
    skipDuplicates: true,
  });
  return { kind: "note", data, latencyMs: failure.latencyMs };
}
