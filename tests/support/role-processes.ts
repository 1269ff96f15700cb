import { type ChildProcess, fork } from "node:child_process";
import { createWriteStream } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * App roles in child processes that a test can SIGKILL: the web role (./web-process.ts) and a worker
 * with a module's tools (./tool-worker-process.ts). Each is started with `node --import tsx`, gets its
 * configuration from the environment, and is ready when it sends its first IPC message.
 */
export interface RoleProcess {
  child: ChildProcess;
  /** What the child said when it was ready (the web role's `{ url, port }`). */
  ready: { url?: string; port?: number; pid?: number };
  /** Everything the child wrote to stdout and stderr (only with `captureOutput`), in order. */
  output(): string;
  /** Resolves when the child has exited. */
  exited: Promise<void>;
}

export interface RoleProcessOptions {
  /** Keep the whole stdout and stderr (e.g. to scan the logs); otherwise only the last few KB of stderr. */
  captureOutput?: boolean;
  /** Also append stdout and stderr to this file (logs of a long run, for diagnosis). */
  logFile?: string;
  timeoutMs?: number;
}

const scripts = {
  web: new URL("./web-process.ts", import.meta.url),
  worker: new URL("./tool-worker-process.ts", import.meta.url),
};

export function startWebProcess(
  env: Record<string, string>,
  options: RoleProcessOptions = {},
): Promise<RoleProcess> {
  return startRoleProcess(scripts.web, env, options);
}

/** A worker whose tools come from `toolsModule` (an absolute path to a module exporting `createTools`). */
export function startToolWorkerProcess(
  toolsModule: string | undefined,
  env: Record<string, string>,
  options: RoleProcessOptions = {},
): Promise<RoleProcess> {
  return startRoleProcess(
    scripts.worker,
    { ...env, ...(toolsModule ? { TOOLS_MODULE: toolsModule } : {}) },
    options,
  );
}

export async function startRoleProcess(
  script: URL,
  env: Record<string, string>,
  options: RoleProcessOptions = {},
): Promise<RoleProcess> {
  const child = fork(fileURLToPath(script), [], {
    env: { ...process.env, LOG_LEVEL: "silent", ...env },
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", options.captureOutput || options.logFile ? "pipe" : "ignore", "pipe", "ipc"],
  });
  if (options.logFile) {
    const file = createWriteStream(options.logFile, { flags: "a" });
    child.stdout?.pipe(file, { end: false });
    child.stderr?.pipe(file, { end: false });
    child.once("exit", () => setTimeout(() => file.end(), 100));
  }
  const chunks: string[] = [];
  let recentErrors = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    if (options.captureOutput) chunks.push(chunk.toString());
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    if (options.captureOutput) chunks.push(chunk.toString());
    recentErrors = (recentErrors + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  const ready = await new Promise<RoleProcess["ready"]>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${fileURLToPath(script)} did not start in time: ${recentErrors}`));
    }, options.timeoutMs ?? 60_000);
    const onExit = (code: number | null, signal: string | null) => {
      clearTimeout(timer);
      reject(
        new Error(`${fileURLToPath(script)} exited (${code ?? signal}) before it was ready: ${recentErrors}`),
      );
    };
    child.once("exit", onExit);
    child.once("message", (message) => {
      clearTimeout(timer);
      child.off("exit", onExit);
      resolve(typeof message === "object" && message !== null ? (message as RoleProcess["ready"]) : {});
    });
  });
  return { child, ready, output: () => chunks.join(""), exited };
}

/** Sends `signal` (SIGKILL by default) and waits until the process is gone. */
export async function stopRoleProcess(role: RoleProcess, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
  if (role.child.exitCode === null && role.child.signalCode === null) role.child.kill(signal);
  await role.exited;
}
