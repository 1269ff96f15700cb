import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { CodedError } from "../errors.js";

/**
 * Postgres refuses to run as root. When we are root, initdb and postgres run as another user: the
 * `postgres` system user when the machine has one, otherwise `nobody` (present on every Debian and
 * Ubuntu system), so a bare machine needs no user created. That user must be able to reach the
 * binaries and the data directory; `blockingFolder` says which folder is in the way (a checkout under
 * /root, say), and ./postgres.ts then uses copies of the binaries and a data directory it can reach.
 */
export interface ServiceUser {
  name: string;
  uid: number;
  gid: number;
}

export function serviceUser(preferred = ["postgres", "nobody"]): ServiceUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of preferred) {
    const found = lookUp(name);
    if (found) return found;
  }
  throw new CodedError(
    "local_service_unavailable",
    `Postgres cannot run as root and none of the users ${preferred.join(", ")} exists: run as a normal user or set DATABASE_URL`,
    { expected: true },
  );
}

function lookUp(name: string): ServiceUser | undefined {
  try {
    const uid = Number(execFileSync("id", ["-u", name], { encoding: "utf8", stdio: "pipe" }).trim());
    const gid = Number(execFileSync("id", ["-g", name], { encoding: "utf8", stdio: "pipe" }).trim());
    return { name, uid, gid };
  } catch {
    return undefined;
  }
}

/** The first folder above `path` (nearest first) that `user` cannot traverse, if any. */
export function blockingFolder(path: string, user: ServiceUser): string | undefined {
  let folder = dirname(resolve(path));
  for (;;) {
    const stat = statIfExists(folder);
    if (stat && !canSearch(stat, user)) return folder;
    const parent = dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
}

function statIfExists(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function canSearch(stat: { uid: number; gid: number; mode: number }, user: ServiceUser): boolean {
  if (stat.uid === user.uid) return (stat.mode & 0o100) !== 0;
  if (stat.gid === user.gid) return (stat.mode & 0o010) !== 0;
  return (stat.mode & 0o001) !== 0;
}
