import type { Redactor } from "../security/redact.js";
import type { Database, Prisma } from "../storage/database.js";

/**
 * The admin's run list: newest first, filtered by state, workspace, requester and schedule
 * (`schedule=any` for every scheduled run, or one schedule's id), 50 to a page.
 */
export interface RunFilter {
  state?: string | undefined;
  workspace?: string | undefined;
  user?: string | undefined;
  schedule?: string | undefined;
  page: number;
}

export interface RunRow {
  id: string;
  workspaceId: string;
  requesterId: string;
  status: string;
  stopReason: string | null;
  scheduleId: string | null;
  prompt: string;
  stepCount: number;
  tokens: number;
  costUsd: number;
  createdAt: string;
}

export const pageSize = 50;

export function filterFrom(query: URLSearchParams): RunFilter {
  const value = (name: string) => {
    const text = query.get(name)?.trim();
    return text ? text.slice(0, 200) : undefined;
  };
  const page = Number.parseInt(query.get("page") ?? "1", 10);
  return {
    state: value("state"),
    workspace: value("workspace"),
    user: value("user"),
    schedule: value("schedule"),
    page: Number.isFinite(page) && page > 0 ? Math.min(page, 10_000) : 1,
  };
}

export async function listRuns(
  database: Database,
  filter: RunFilter,
  redact: Redactor,
): Promise<{ rows: RunRow[]; more: boolean; workspaces: Array<{ id: string; name: string }> }> {
  const where: Prisma.RunWhereInput = {
    ...(filter.state ? { status: filter.state } : {}),
    ...(filter.workspace ? { workspaceId: filter.workspace } : {}),
    ...(filter.user ? { requesterId: filter.user } : {}),
    ...(filter.schedule === "any"
      ? { scheduleId: { not: null } }
      : filter.schedule
        ? { scheduleId: filter.schedule }
        : {}),
  };
  const [runs, workspaces] = await Promise.all([
    database.run.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (filter.page - 1) * pageSize,
      take: pageSize + 1,
    }),
    database.workspace.findMany({ select: { id: true, name: true }, orderBy: { id: "asc" }, take: 500 }),
  ]);
  return {
    rows: runs.slice(0, pageSize).map((run) => ({
      id: run.id,
      workspaceId: run.workspaceId,
      requesterId: run.requesterId,
      status: run.status,
      stopReason: run.stopReason,
      scheduleId: run.scheduleId,
      // Redacted before it is cut, so a secret at the cut is not left half visible.
      prompt: redact(run.prompt).slice(0, 300),
      stepCount: run.stepCount,
      tokens: run.inputTokens + run.outputTokens,
      costUsd: Number(run.costMicros) / 1_000_000,
      createdAt: run.createdAt.toISOString(),
    })),
    more: runs.length > pageSize,
    workspaces,
  };
}
