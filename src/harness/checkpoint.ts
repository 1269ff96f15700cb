import type { Database, Prisma } from "../storage/database.js";
import type { Usage } from "./model/model.js";
import type { RunState } from "./state.js";

/**
 * Commits the run state after a step, in one transaction with the step's trace row and the steering
 * messages it delivered: either all of it is recorded or none of it.
 */
export interface StepRecord {
  kind: "model" | "tool" | "note";
  data: Prisma.InputJsonValue;
  usage?: Usage;
  latencyMs?: number;
}

export async function saveCheckpoint(
  database: Database,
  runId: string,
  state: RunState,
  options: { step?: StepRecord; status?: string; deliveredMessageIds?: string[] } = {},
): Promise<void> {
  const { step } = options;
  await database.$transaction([
    database.run.update({
      where: { id: runId },
      data: {
        state: state as unknown as Prisma.InputJsonValue,
        stepCount: state.step,
        inputTokens: state.usage.inputTokens,
        outputTokens: state.usage.outputTokens,
        cachedTokens: state.usage.cachedTokens,
        costMicros: BigInt(state.costMicros),
        ...(options.status ? { status: options.status } : {}),
      },
    }),
    ...(step
      ? [
          database.step.create({
            data: {
              runId,
              index: state.step,
              kind: step.kind,
              data: step.data,
              inputTokens: step.usage?.inputTokens ?? 0,
              outputTokens: step.usage?.outputTokens ?? 0,
              cachedTokens: step.usage?.cachedTokens ?? 0,
              latencyMs: step.latencyMs ?? 0,
            },
          }),
        ]
      : []),
    ...(options.deliveredMessageIds?.length
      ? [
          database.threadMessage.updateMany({
            where: { id: { in: options.deliveredMessageIds } },
            data: { deliveredToRunId: runId },
          }),
        ]
      : []),
  ]);
}
