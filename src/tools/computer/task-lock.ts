import { spawn } from "node:child_process";
import { CodedError } from "../../errors.js";

/**
 * One run at a time per task workspace. The lock is an flock(2) on a file beside the workspace, held
 * by a small `flock` process for the length of the run: it covers every process on this host that
 * shares the folder (the only ones that can), and the kernel releases it when the holder ends, also
 * when our process dies, so a crash never leaves a task locked. A Postgres or Redis lock would need a
 * connection pinned, or a lease renewed, for up to the longest run.
 */
export interface TaskLock {
  release(): void;
}

export function lockTask(
  options: { flockPath: string; lockFile: string; waitMs: number },
  signal: AbortSignal,
): Promise<TaskLock | "aborted"> {
  if (signal.aborted) return Promise.resolve("aborted");
  return new Promise((resolve, reject) => {
    const waitSeconds = String(Math.max(1, Math.ceil(options.waitMs / 1000)));
    // Prints once the lock is held, then holds it until its stdin closes (our release, or our death).
    const holder = spawn(
      options.flockPath,
      ["--exclusive", "--wait", waitSeconds, options.lockFile, "-c", "echo locked; read -r line"],
      { cwd: "/", env: {}, stdio: ["pipe", "pipe", "pipe"] },
    );
    let settled = false;
    let errors = "";
    const release = () => {
      holder.stdin?.end();
      holder.kill("SIGKILL");
    };
    const onAbort = () => {
      release();
      settle(() => resolve("aborted"));
    };
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      action();
    };
    signal.addEventListener("abort", onAbort, { once: true });
    holder.stdin?.on("error", () => {});
    holder.stderr?.on("data", (chunk: Buffer) => {
      errors += chunk.toString();
    });
    holder.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("locked")) settle(() => resolve({ release }));
    });
    holder.on("error", (error) =>
      settle(() => reject(new CodedError("sandbox_unavailable", `flock failed: ${error.message}`))),
    );
    holder.on("close", (code) =>
      settle(() =>
        reject(
          new CodedError(
            "sandbox_unavailable",
            code === 1
              ? `another run of this task has held its workspace for more than ${waitSeconds} s; try again later`
              : `the workspace lock failed (exit ${code}): ${errors.trim().slice(0, 300)}`,
            { expected: true },
          ),
        ),
      ),
    );
  });
}
