import { spawn } from "node:child_process";
import type { Writable } from "node:stream";
import { OutputCollector } from "./output-collector.js";

export interface ProcessRequest {
  command: string;
  args: string[];
  /** Written to file descriptors 3, 4, ... in order, then closed. */
  data: string[];
  /** Set when we run as root: the process starts as this user instead. */
  user?: { uid: number; gid: number };
  timeoutMs: number;
  signal: AbortSignal;
  outputBytes: number;
  /**
   * Runs after the process exists and before it execs `command` (e.g. to put it in a cgroup): the
   * process waits in a tiny shell until this resolves. When it fails the process is killed unstarted.
   */
  beforeStart?: (pid: number) => Promise<void>;
}

export interface ProcessResult {
  /** `null` when it ended by a signal: ours (deadline, abort) or another's. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  aborted: boolean;
}

/** After SIGKILL the pipes close at once; this only guards against a kernel that never says so. */
const closeGraceMs = 5_000;

/**
 * Runs one process in its own process group with an empty environment and collects clipped output.
 * On the deadline or an abort the whole group gets SIGKILL; bubblewrap's --die-with-parent then takes
 * the sandbox's PID namespace, and with it every process inside, down too.
 */
export function runProcess(request: ProcessRequest): Promise<ProcessResult> {
  if (request.signal.aborted) {
    return Promise.resolve({ exitCode: null, stdout: "", stderr: "", timedOut: false, aborted: true });
  }
  return new Promise((resolve, reject) => {
    const gate = request.beforeStart ? 3 + request.data.length : undefined;
    const [command, args] =
      gate === undefined
        ? [request.command, request.args]
        : ["/bin/sh", ["-c", gateScript(gate), "gate", request.command, ...request.args]];
    const child = spawn(command, args, {
      cwd: "/",
      env: {},
      detached: true,
      stdio: [
        "ignore",
        "pipe",
        "pipe",
        ...request.data.map(() => "pipe" as const),
        ...(gate ? ["pipe" as const] : []),
      ],
      ...request.user,
    });
    const stdout = new OutputCollector(request.outputBytes);
    const stderr = new OutputCollector(request.outputBytes);
    child.stdout?.on("data", (chunk: Buffer) => stdout.add(chunk));
    child.stderr?.on("data", (chunk: Buffer) => stderr.add(chunk));
    request.data.forEach((text, index) => {
      const stream = child.stdio[3 + index] as Writable | null;
      // bubblewrap may fail before reading: a broken pipe here is reported through its exit status.
      stream?.on("error", () => {});
      stream?.end(text);
    });

    let timedOut = false;
    let aborted = false;
    let settled = false;
    let graceTimer: NodeJS.Timeout | undefined;
    const kill = () => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // The group is already gone.
        }
      }
      graceTimer ??= setTimeout(() => finish(null), closeGraceMs);
    };
    const onAbort = () => {
      aborted = true;
      kill();
    };
    const deadline = setTimeout(() => {
      timedOut = true;
      kill();
    }, request.timeoutMs);
    request.signal.addEventListener("abort", onAbort, { once: true });

    const finish = (exitCode: number | null, spawnError?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearTimeout(graceTimer);
      request.signal.removeEventListener("abort", onAbort);
      child.stdout?.destroy();
      child.stderr?.destroy();
      const killed = timedOut || aborted;
      resolve({
        exitCode: killed ? null : exitCode,
        stdout: stdout.text(),
        stderr: spawnError
          ? `${stderr.text()}failed to start ${request.command}: ${spawnError.message}`
          : stderr.text(),
        timedOut,
        aborted,
      });
    };
    child.on("error", (error) => finish(127, error));
    child.on("close", (code) => finish(code));

    if (gate !== undefined && child.pid !== undefined) {
      const opener = child.stdio[gate] as Writable | null;
      opener?.on("error", () => {});
      request.beforeStart!(child.pid).then(
        () => opener?.end("go\n"),
        (error: unknown) => {
          kill();
          settled = true;
          clearTimeout(deadline);
          clearTimeout(graceTimer);
          request.signal.removeEventListener("abort", onAbort);
          reject(error);
        },
      );
    }
  });
}

/** Waits for "go" on descriptor `gate`, closes it, then execs the real command ("$@"). */
function gateScript(gate: number): string {
  return `IFS= read -r go <&${gate} && [ "$go" = go ] || exit 125; exec ${gate}<&-; exec "$@"`;
}
