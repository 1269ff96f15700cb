import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { CodedError } from "../errors.js";

/**
 * Starting and stopping the local service processes (Postgres, Redis) for dev, tests and benchmarks.
 * Postgres binaries come from npm (./postgres-binaries.ts); redis-server from the machine
 * (./redis-install.ts installs it when it can).
 */

/** Where Debian and Homebrew put these binaries, in the order we look (then PATH). */
const searchPaths: Record<string, string[]> = {
  "redis-server": ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"],
  "apt-get": ["/usr/bin"],
};

export class MissingBinaryError extends CodedError {
  constructor(
    readonly binary: string,
    hint: string,
  ) {
    super("local_service_unavailable", `${binary} was not found: ${hint}`, { expected: true });
  }
}

/** Absolute path of a binary from the usual locations or PATH, or undefined. */
export function locateBinary(name: string): string | undefined {
  for (const directory of searchPaths[name] ?? []) {
    if (existsSync(`${directory}/${name}`)) return `${directory}/${name}`;
  }
  try {
    return execFileSync("which", [name], { encoding: "utf8", stdio: "pipe" }).trim() || undefined;
  } catch {
    return undefined;
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
