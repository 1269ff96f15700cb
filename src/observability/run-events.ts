import type { RetryInfo } from "../harness/model/retry.js";
import type { RunState } from "../harness/state.js";
import type { Logger } from "../logger.js";

/**
 * The log lines an operator follows a run by: one line at info per event, with an `event` field to
 * filter on, written through the run's child logger (so each carries workspaceId, taskId and runId).
 * docs/operations.md lists them.
 */
export const runEvents = {
  started: "run.started",
  continued: "run.continued",
  recovered: "run.recovered",
  finished: "run.finished",
  modelRetry: "model.retry",
  modelFallback: "model.fallback",
  toolError: "tool.error",
  approvalRequested: "approval.requested",
  approvalDecided: "approval.decided",
  parked: "run.parked",
  resumed: "run.resumed",
  requeued: "run.requeued",
  scheduleTick: "schedule.tick",
} as const;

/** The run is picked up: new, continued after a park, or taken over from a worker that stopped. */
export function logRunPickedUp(logger: Logger, status: string, state: RunState, fresh: boolean): void {
  if (fresh) logger.info({ event: runEvents.started }, "run started");
  else if (status === "running")
    // Still "running" when a job picks it up: the previous worker died (stalled job) or handed it over.
    logger.info({ event: runEvents.recovered, step: state.step }, "run recovered after a stalled job");
  else logger.info({ event: runEvents.continued, step: state.step, status }, "run continued");
}

export function logRunFinished(
  logger: Logger,
  outcome: string,
  state: RunState,
  now: number,
  reason?: string,
): void {
  logger.info(
    {
      event: runEvents.finished,
      outcome,
      ...(reason ? { reason } : {}),
      steps: state.step,
      inputTokens: state.usage.inputTokens,
      outputTokens: state.usage.outputTokens,
      cachedTokens: state.usage.cachedTokens,
      costMicros: state.costMicros,
      durationMs: Math.max(0, now - state.startedAt),
      waitedMs: state.waitedMs,
    },
    "run finished",
  );
}

export function logModelRetry(logger: Logger, info: RetryInfo): void {
  logger.info(
    {
      event: runEvents.modelRetry,
      model: info.model,
      attempt: info.attempt,
      status: info.status ?? null,
      delayMs: info.delayMs,
      error: info.error.message.slice(0, 500),
    },
    "model call retried",
  );
}

export function logParked(logger: Logger, waiting: RunState["waiting"]): void {
  if (!waiting) return;
  logger.info(
    {
      event: runEvents.parked,
      waitingFor: waiting.kind,
      ...(waiting.kind === "approval" ? { approvalId: waiting.approvalId } : {}),
    },
    "run parked",
  );
}
