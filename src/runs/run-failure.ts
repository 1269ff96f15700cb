import { isCodedError } from "../errors.js";
import type { Services } from "../services.js";
import { createSlackThread } from "../slack/thread.js";
import { endedRunStatuses } from "./run-statuses.js";

/**
 * When a run's job gives up (every attempt failed with an unexpected error), the person is told in
 * one or two plain sentences, the run is marked failed and its status message says so. Never a stack
 * trace: the details go to the logs.
 */
export function explainFailure(error: unknown): string {
  if (isCodedError(error, "tool_timeout")) {
    return "One of my tools took too long to answer, so I had to stop. You can ask me to try again.";
  }
  if (
    isCodedError(error, "model_transient") ||
    isCodedError(error, "model_timeout") ||
    isCodedError(error, "model_permanent")
  ) {
    return "I couldn't get an answer from the language model, so I had to stop. Please try again in a few minutes.";
  }
  if (isCodedError(error, "slack_api")) {
    return "Slack didn't accept one of my requests, so I couldn't finish this. Please try again.";
  }
  return "Something went wrong on my side and I couldn't finish this. Please try again; if it keeps happening, let whoever runs me know.";
}

export async function reportRunFailure(services: Services, runId: string, error: unknown): Promise<void> {
  const { database } = services;
  const run = await database.run.findUnique({ where: { id: runId }, include: { task: true } });
  if (!run || endedRunStatuses.includes(run.status)) return;
  const changed = await database.run.updateMany({
    where: { id: runId, status: { notIn: endedRunStatuses } },
    data: { status: "failed", stopReason: "error", endedAt: new Date(services.now()) },
  });
  if (changed.count === 0) return;
  const client = await services.slack.forWorkspace(run.workspaceId);
  const thread = createSlackThread({
    database,
    client,
    logger: services.logger,
    run,
  });
  await thread.post(`${runId}:failure`, "notice", explainFailure(error));
  await thread.progress({
    phase: "failed",
    step: run.stepCount,
    activity: "Failed",
    elapsedMs: services.now() - (run.startedAt ?? run.createdAt).getTime(),
  });
}
