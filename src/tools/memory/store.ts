import type { Database, Prisma } from "../../storage/database.js";

/**
 * Facts and preferences the coworker remembers, per workspace, channel or person (the Memory table),
 * with full-text search at query time (Postgres to_tsvector / plainto_tsquery, English stemming).
 * Who sees what: a run sees the requester's own memories, its channel's and the workspace's; people
 * managing their memories (App Home, slash command) also see every memory they created.
 */
export type MemoryScope = "user" | "channel" | "workspace";

export interface MemoryViewer {
  workspaceId: string;
  userId: string;
  /** The conversation the viewer is in: its channel memories are visible. */
  channel?: string;
  /** Also memories this person created in other channels (for managing them, never for a run). */
  includeCreated?: boolean;
}

export interface MemoryRecord {
  id: string;
  scope: MemoryScope;
  scopeId: string;
  content: string;
  createdBy: string | null;
  createdAt: Date;
  /** Its information-flow label as stored (see ./labels.ts); null for memories from before labels. */
  label?: unknown;
}

export const memoryLimits = { contentCharacters: 1000, perScope: 200 };

export class MemoryFullError extends Error {
  constructor(readonly scope: MemoryScope) {
    super(`${memoryLimits.perScope} memories are already kept for this ${scope}; forget some first`);
    this.name = "MemoryFullError";
  }
}

/** Saves a memory; the same text in the same scope is kept once (the existing memory is returned). */
export async function saveMemory(
  database: Database,
  input: {
    workspaceId: string;
    scope: MemoryScope;
    scopeId: string;
    content: string;
    createdBy: string;
    /** Provenance: its label, the run that saved it and what that run had read. */
    provenance?: { label: unknown; sourceRunId: string; source: string };
  },
): Promise<MemoryRecord> {
  const content = input.content.trim().slice(0, memoryLimits.contentCharacters);
  const where = { workspaceId: input.workspaceId, scope: input.scope, scopeId: input.scopeId };
  const existing = await database.memory.findFirst({ where: { ...where, content } });
  if (existing) return toRecord(existing);
  if ((await database.memory.count({ where })) >= memoryLimits.perScope)
    throw new MemoryFullError(input.scope);
  const provenance = input.provenance
    ? {
        label: input.provenance.label as Prisma.InputJsonValue,
        sourceRunId: input.provenance.sourceRunId,
        source: input.provenance.source,
      }
    : {};
  return toRecord(
    await database.memory.create({ data: { ...where, content, createdBy: input.createdBy, ...provenance } }),
  );
}

/** Memories matching any word of `query` (stemmed), best match first. */
export async function searchMemories(
  database: Database,
  viewer: MemoryViewer,
  query: string,
  limit: number,
): Promise<MemoryRecord[]> {
  // plainto_tsquery normalizes the words and drops stop words; its ANDs become ORs so that a task
  // prompt matches a memory sharing any of its words, and ts_rank puts the best matches first.
  const rows = await database.$queryRaw<MemoryRecord[]>`
    WITH search AS (
      SELECT NULLIF(replace(plainto_tsquery('english', ${query})::text, ' & ', ' | '), '')::tsquery AS terms
    )
    SELECT m."id", m."scope", m."scopeId", m."content", m."createdBy", m."createdAt", m."label"
    FROM "Memory" m, search
    WHERE m."workspaceId" = ${viewer.workspaceId}
      AND (
        (m."scope" = 'user' AND m."scopeId" = ${viewer.userId})
        OR m."scope" = 'workspace'
        OR (m."scope" = 'channel' AND m."scopeId" = ${viewer.channel ?? ""})
        OR (${viewer.includeCreated ?? false}::boolean AND m."createdBy" = ${viewer.userId})
      )
      AND search.terms IS NOT NULL
      AND to_tsvector('english', m."content") @@ search.terms
    ORDER BY ts_rank(to_tsvector('english', m."content"), search.terms) DESC, m."createdAt" DESC
    LIMIT ${limit}::int`;
  return rows.map(toRecord);
}

/** Newest first. */
export async function listMemories(
  database: Database,
  viewer: MemoryViewer,
  limit: number,
): Promise<{ memories: MemoryRecord[]; total: number }> {
  const where = visibleTo(viewer);
  const [rows, total] = await Promise.all([
    database.memory.findMany({ where, orderBy: { createdAt: "desc" }, take: limit }),
    database.memory.count({ where }),
  ]);
  return { memories: rows.map(toRecord), total };
}

export type ForgetOutcome =
  | { type: "forgotten"; memory: MemoryRecord }
  | { type: "not_found" }
  | { type: "ambiguous" };

/** Deletes a memory the viewer can see, named by its id or the start of it (at least 6 characters). */
export async function forgetMemory(
  database: Database,
  viewer: MemoryViewer,
  idOrPrefix: string,
): Promise<ForgetOutcome> {
  const prefix = idOrPrefix.trim().toLowerCase();
  if (prefix.length < 6) return { type: "not_found" };
  const matches = await database.memory.findMany({
    where: { ...visibleTo(viewer), id: { startsWith: prefix } },
    take: 2,
  });
  const [memory, other] = matches;
  if (!memory) return { type: "not_found" };
  if (other) return { type: "ambiguous" };
  const deleted = await database.memory.deleteMany({ where: { id: memory.id } });
  return deleted.count === 1 ? { type: "forgotten", memory: toRecord(memory) } : { type: "not_found" };
}

export async function memoryExists(
  database: Database,
  workspaceId: string,
  idOrPrefix: string,
): Promise<boolean> {
  const prefix = idOrPrefix.trim().toLowerCase();
  return (await database.memory.count({ where: { workspaceId, id: { startsWith: prefix } } })) > 0;
}

/** The short form shown to people: enough to name one memory. */
export function shortMemoryId(id: string): string {
  return id.slice(0, 8);
}

function visibleTo(viewer: MemoryViewer) {
  return {
    workspaceId: viewer.workspaceId,
    OR: [
      { scope: "user", scopeId: viewer.userId },
      { scope: "workspace" },
      ...(viewer.channel ? [{ scope: "channel", scopeId: viewer.channel }] : []),
      ...(viewer.includeCreated ? [{ createdBy: viewer.userId }] : []),
    ],
  };
}

function toRecord(row: {
  id: string;
  scope: string;
  scopeId: string;
  content: string;
  createdBy: string | null;
  createdAt: Date;
  label?: unknown;
}): MemoryRecord {
  return {
    id: row.id,
    scope: row.scope as MemoryScope,
    scopeId: row.scopeId,
    content: row.content,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    label: row.label ?? null,
  };
}
