import type { Redactor } from "../security/redact.js";
import { redactJson } from "../security/redact.js";
import type { Database } from "../storage/database.js";

/**
 * Finished runs as training and evaluation data: one JSON object per line, each a whole trajectory
 * (prompt, every step with its model turns and tool calls, usage) with its outcome label. Secrets are
 * redacted. Filters: outcome (run status), date range, workspace.
 */
export interface TrajectoryFilter {
  outcomes?: string[];
  since?: Date;
  until?: Date;
  workspaceId?: string;
}

export const trajectoryFormat = 1;

export async function* trajectories(
  database: Database,
  filter: TrajectoryFilter,
  redact: Redactor,
): AsyncGenerator<string> {
  let cursor: string | undefined;
  for (;;) {
    const runs = await database.run.findMany({
      where: {
        status: { in: filter.outcomes ?? ["completed", "failed", "stopped", "cancelled"] },
        ...(filter.workspaceId ? { workspaceId: filter.workspaceId } : {}),
        createdAt: {
          ...(filter.since ? { gte: filter.since } : {}),
          ...(filter.until ? { lt: filter.until } : {}),
        },
      },
      orderBy: { id: "asc" },
      take: 100,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      include: { steps: { orderBy: { index: "asc" } }, approvals: true, task: true },
    });
    if (runs.length === 0) return;
    for (const run of runs) {
      const record = {
        format: trajectoryFormat,
        runId: run.id,
        workspaceId: run.workspaceId,
        taskId: run.taskId,
        source: run.task.source,
        scheduleId: run.scheduleId,
        outcome: run.status,
        stopReason: run.stopReason,
        prompt: run.prompt,
        createdAt: run.createdAt.toISOString(),
        endedAt: run.endedAt?.toISOString() ?? null,
        usage: {
          inputTokens: run.inputTokens,
          outputTokens: run.outputTokens,
          cachedTokens: run.cachedTokens,
          costUsd: Number(run.costMicros) / 1_000_000,
        },
        steps: run.steps.map((step) => ({
          index: step.index,
          kind: step.kind,
          data: step.data,
          inputTokens: step.inputTokens,
          outputTokens: step.outputTokens,
          cachedTokens: step.cachedTokens,
          latencyMs: step.latencyMs,
        })),
        approvals: run.approvals.map((approval) => ({
          tool: approval.tool,
          status: approval.status,
          decidedAt: approval.decidedAt?.toISOString() ?? null,
          reason: approval.reason,
        })),
      };
      yield JSON.stringify(redactJson(record, redact));
    }
    cursor = runs.at(-1)?.id;
  }
}
