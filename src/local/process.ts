import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";

/** Where Debian puts each server binary, in the order we look. */
const searchPaths: Record<string, string[]> = {
  postgres: ["/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin"],
  initdb: ["/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin"],
  pg_dump: ["/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin"],
  "redis-server": ["/usr/bin", "/usr/local/bin"],
};

const installHints: Record<string, string> = {
  postgres: "install PostgreSQL: `sudo apt-get install -y postgresql` (or set DATABASE_URL)",
  initdb: "install PostgreSQL: `sudo apt-get install -y postgresql` (or set DATABASE_URL)",
  pg_dump: "install PostgreSQL: `sudo apt-get install -y postgresql`",
  "redis-server": "install Redis: `sudo apt-get install -y redis-server` (or set REDIS_URL)",
};

export class MissingBinaryError extends Error {
  constructor(readonly binary: string) {
    super(`${binary} was not found: ${installHints[binary] ?? `install ${binary}`}`);
    this.name = "MissingBinaryError";
  }
}

/** Absolute path of a server binary, from PATH or Debian's locations. */
export function findBinary(name: string): string {
  for (const directory of searchPaths[name] ?? []) {
    if (existsSync(`${directory}/${name}`)) return `${directory}/${name}`;
  }
  try {
    return execFileSync("which", [name], { encoding: "utf8" }).trim() || missing(name);
  } catch {
    return missing(name);
  }
}

function missing(name: string): never {
  throw new MissingBinaryError(name);
}

/**
 * Postgres refuses to run as root: when we are root, its processes run as the `postgres` system user
 * (created by Debian's postgresql package).
 */
export function serviceUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    return { uid, gid };
  } catch {
    throw new Error("running as root needs the `postgres` system user: `apt-get install -y postgresql`");
  }
}

export function spawnService(
  command: string,
  args: string[],
  user?: { uid: number; gid: number },
): ChildProcess {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...user });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  Object.defineProperty(child, "recentOutput", { get: () => output });
  return child;
}

export function recentOutput(child: ChildProcess): string {
  return (child as ChildProcess & { recentOutput?: string }).recentOutput ?? "";
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} did not become ready within ${timeoutMs} ms`);
}

export function stopChild(
  child: ChildProcess,
  signal: NodeJS.Signals = "SIGTERM",
  timeoutMs = 10_000,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}
