import type { Database, Prisma } from "../storage/database.js";
import { activeRunStatuses } from "./run-statuses.js";

/**
 * Runs as people refer to them: by the short id `/coworker status` shows (the first characters of the
 * run id) or the whole id, within one workspace.
 */
export const shortIdLength = 8;

export function shortId(runId: string): string {
  return runId.slice(0, shortIdLength);
}

export type RunWithTask = Prisma.RunGetPayload<{ include: { task: true } }>;

export type RunLookup =
  | { type: "found"; run: RunWithTask }
  | { type: "not_found" }
  | { type: "ambiguous"; count: number };

export async function findRunByReference(
  database: Database,
  workspaceId: string,
  reference: string,
): Promise<RunLookup> {
  const text = reference.trim().toLowerCase().replace(/^`|`$/g, "");
  if (!/^[0-9a-f-]{4,36}$/.test(text)) return { type: "not_found" };
  const runs = await database.run.findMany({
    where: { workspaceId, id: { startsWith: text } },
    include: { task: true },
    orderBy: { createdAt: "desc" },
    take: 5,
  });
  if (runs.length === 0) return { type: "not_found" };
  if (runs.length > 1) {
    const active = runs.filter((run) => activeRunStatuses.includes(run.status));
    if (active.length === 1) return { type: "found", run: active[0]! };
    return { type: "ambiguous", count: runs.length };
  }
  return { type: "found", run: runs[0]! };
}

/** A person's runs that are working or waiting, newest first. */
export async function activeRunsOf(
  database: Database,
  workspaceId: string,
  userId: string,
): Promise<RunWithTask[]> {
  return database.run.findMany({
    where: { workspaceId, requesterId: userId, status: { in: activeRunStatuses } },
    include: { task: true },
    orderBy: { createdAt: "desc" },
    take: 20,
  });
}
