import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Starts tests/support/worker-process.ts in a child process and waits until its worker is ready. */
export async function startWorkerProcess(env: Record<string, string>): Promise<ChildProcess> {
  const child = fork(fileURLToPath(new URL("./worker-process.ts", import.meta.url)), [], {
    env: { ...process.env, LOG_LEVEL: "silent", ...env },
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "pipe", "ipc"],
  });
  let errors = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-4000);
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("worker process did not start in time")), 60_000);
    child.once("message", () => {
      clearTimeout(timer);
      resolve();
    });
    child.once("exit", (code) => reject(new Error(`worker process exited with ${code}: ${errors}`)));
  });
  return child;
}

export function kill(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}
