import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import type { WorkspaceFile } from "./sandbox.js";

/** Entries walked at most: a run that creates millions of files cannot stall the listing. */
const walkLimit = 20_000;

interface Entry {
  kind: WorkspaceFile["kind"];
  bytes: number;
  /** Changes when the entry is created, replaced or written. */
  version: string;
}

export type WorkspaceSnapshot = Map<string, Entry>;

/**
 * Every entry under `directory`, by relative path. Uses lstat and never follows symlinks: the
 * sandbox owns this folder and may plant links to host files, so nothing here opens them.
 */
export async function snapshotWorkspace(directory: string): Promise<WorkspaceSnapshot> {
  const snapshot: WorkspaceSnapshot = new Map();
  const pending = [""];
  while (pending.length > 0 && snapshot.size < walkLimit) {
    const relative = pending.shift()!;
    const names = await readdir(join(directory, relative)).catch(() => [] as string[]);
    for (const name of names.sort()) {
      if (snapshot.size >= walkLimit) break;
      const path = relative === "" ? name : `${relative}/${name}`;
      const stats = await lstat(join(directory, path)).catch(() => undefined);
      if (stats === undefined) continue;
      const kind = stats.isSymbolicLink()
        ? "symlink"
        : stats.isDirectory()
          ? "directory"
          : stats.isFile()
            ? "file"
            : "other";
      snapshot.set(path, { kind, bytes: stats.size, version: `${stats.ino}:${stats.size}:${stats.mtimeMs}` });
      if (kind === "directory") pending.push(path);
    }
  }
  return snapshot;
}

/** The entries after a run, changed ones first, at most `limit` of them. */
export function listWorkspace(
  before: WorkspaceSnapshot,
  after: WorkspaceSnapshot,
  limit: number,
): { files: WorkspaceFile[]; truncated: boolean } {
  const all: WorkspaceFile[] = [...after].map(([path, entry]) => ({
    path,
    kind: entry.kind,
    bytes: entry.kind === "directory" ? 0 : entry.bytes,
    // A directory's mtime moves whenever an entry inside does: only a new one counts as changed.
    changed: entry.kind === "directory" ? !before.has(path) : before.get(path)?.version !== entry.version,
  }));
  const ordered = [...all.filter((file) => file.changed), ...all.filter((file) => !file.changed)];
  return { files: ordered.slice(0, limit), truncated: ordered.length > limit || after.size >= walkLimit };
}

/** Bytes of the regular files in a snapshot (what the disk quota counts when it is only accounting). */
export function workspaceBytes(snapshot: WorkspaceSnapshot): number {
  let total = 0;
  for (const entry of snapshot.values()) if (entry.kind === "file") total += entry.bytes;
  return total;
}
