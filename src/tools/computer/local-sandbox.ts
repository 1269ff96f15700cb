import { existsSync } from "node:fs";
import { chmod, chown, lstat, mkdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { CodedError, errorMessage } from "../../errors.js";
import {
  bubblewrapArguments,
  dataDescriptors,
  groupFile,
  passwdFile,
  sandboxGid,
  sandboxUid,
} from "./bubblewrap-arguments.js";
import { findInterpreter, type InterpreterPaths } from "./interpreters.js";
import { defaultSandboxLimits, type SandboxLimits } from "./limits.js";
import { runProcess } from "./process-runner.js";
import type {
  Sandbox,
  SandboxAvailability,
  SandboxLanguage,
  SandboxRunRequest,
  SandboxRunResult,
} from "./sandbox.js";
import { sandboxLanguages } from "./sandbox.js";
import { assertSafeTaskId } from "./task-id.js";
import { listWorkspace, snapshotWorkspace } from "./workspace-files.js";

export interface LocalSandboxOptions {
  /** Parent of the per-task folders; created if missing. The sandbox user must be able to traverse its parents. */
  root: string;
  /** Debian's bubblewrap package. */
  bubblewrapPath?: string;
  /** util-linux's prlimit, run inside the sandbox to set resource limits. */
  prlimitPath?: string;
  pythonPath?: string;
  nodePath?: string;
  limits?: Partial<SandboxLimits>;
  /** Share the host's network with runs. Off by default: runs get only their own loopback. */
  network?: boolean;
  /** Our own uid, to decide whether bubblewrap must be started as the unprivileged sandbox user. */
  processUid?: number;
  /** A successful availability check is reused this long. */
  availabilityCacheMs?: number;
  now?: () => number;
}

/** Folder name of the availability probe: not a valid task id, so no task can share it. */
const probeFolder = "_availability-probe";

const probes: Record<SandboxLanguage, string> = {
  shell: "echo sandbox-ok",
  python: "print('sandbox-ok')",
  node: "console.log('sandbox-ok')",
};

/**
 * The local backend: each run is a fresh bubblewrap sandbox (new user, PID, network, IPC and UTS
 * namespaces; read-only /usr; only the task's folder writable at /workspace) under prlimit limits.
 * When we are root, bubblewrap itself starts as uid 65534, so nothing inside is root anywhere.
 */
export class LocalSandbox implements Sandbox {
  private readonly root: string;
  private readonly bubblewrapPath: string;
  private readonly prlimitPath: string;
  private readonly interpreterPaths: InterpreterPaths;
  private readonly limits: SandboxLimits;
  readonly network: boolean;
  private readonly user: { uid: number; gid: number } | undefined;
  private readonly availabilityCacheMs: number;
  private readonly now: () => number;
  private cachedAvailability: { at: number; result: Promise<SandboxAvailability> } | undefined;

  constructor(options: LocalSandboxOptions) {
    this.root = resolve(options.root);
    this.bubblewrapPath = options.bubblewrapPath ?? "/usr/bin/bwrap";
    this.prlimitPath = options.prlimitPath ?? "/usr/bin/prlimit";
    this.interpreterPaths = {
      pythonPath: options.pythonPath ?? "/usr/bin/python3",
      nodePath: options.nodePath ?? process.execPath,
    };
    this.limits = { ...defaultSandboxLimits, ...options.limits };
    this.network = options.network ?? false;
    const processUid = options.processUid ?? process.getuid?.() ?? -1;
    this.user = processUid === 0 ? { uid: sandboxUid, gid: sandboxGid } : undefined;
    this.availabilityCacheMs = options.availabilityCacheMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** The host folder behind a task's /workspace (for local tooling and tests). */
  workspaceDirectory(taskId: string): string {
    assertSafeTaskId(taskId);
    return join(this.root, taskId);
  }

  available(): Promise<SandboxAvailability> {
    const cached = this.cachedAvailability;
    if (cached && this.now() - cached.at < this.availabilityCacheMs) return cached.result;
    const result = this.checkAvailability();
    this.cachedAvailability = { at: this.now(), result };
    // Only a success is worth reusing: a failure is checked again next time.
    void result.then((availability) => {
      if (!availability.ok && this.cachedAvailability?.result === result) this.cachedAvailability = undefined;
    });
    return result;
  }

  async run(request: SandboxRunRequest): Promise<SandboxRunResult> {
    return this.runIn(this.workspaceDirectory(request.taskId), request);
  }

  async removeWorkspace(taskId: string): Promise<void> {
    await rm(this.workspaceDirectory(taskId), { recursive: true, force: true });
  }

  private async runIn(
    directory: string,
    request: Omit<SandboxRunRequest, "taskId">,
  ): Promise<SandboxRunResult> {
    const lookup = findInterpreter(request.language, this.interpreterPaths);
    if (!lookup.ok) {
      throw new CodedError("sandbox_unavailable", `${request.language} is not available: ${lookup.reason}`, {
        expected: true,
      });
    }
    await this.prepareWorkspace(directory);
    const before = await snapshotWorkspace(directory);
    const args = bubblewrapArguments({
      workspaceDirectory: directory,
      interpreter: lookup.interpreter,
      prlimitPath: this.prlimitPath,
      limits: this.limits,
      network: this.network,
    });
    const data: string[] = [];
    data[dataDescriptors.script - 3] = request.code;
    data[dataDescriptors.passwd - 3] = passwdFile();
    data[dataDescriptors.group - 3] = groupFile();
    const result = await runProcess({
      command: this.bubblewrapPath,
      args,
      data,
      user: this.user,
      timeoutMs: Math.max(1, Math.min(request.timeoutMs, this.limits.maxTimeoutMs)),
      signal: request.signal,
      outputBytes: this.limits.outputBytes,
    });
    const listing = listWorkspace(before, await snapshotWorkspace(directory), this.limits.listedFiles);
    return {
      exitCode: result.exitCode,
      stdout: result.stdout,
      stderr: result.stderr,
      timedOut: result.timedOut,
      killed: result.exitCode === null,
      files: listing.files,
      ...(listing.truncated ? { filesTruncated: true } : {}),
    };
  }

  /** Root traversable (0711) but not listable by the sandbox user; the task folder owned by it, 0700. */
  private async prepareWorkspace(directory: string): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o711 });
    if (this.user) await chmod(this.root, 0o711);
    await mkdir(directory, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    });
    const stats = await lstat(directory);
    if (!stats.isDirectory()) {
      throw new CodedError("sandbox_unavailable", `workspace ${directory} is not a directory`);
    }
    if (this.user && (stats.uid !== this.user.uid || stats.gid !== this.user.gid)) {
      await chown(directory, this.user.uid, this.user.gid);
    }
  }

  private async checkAvailability(): Promise<SandboxAvailability> {
    for (const [name, path] of [
      ["bubblewrap", this.bubblewrapPath],
      ["prlimit", this.prlimitPath],
    ] as const) {
      if (!existsSync(path)) return { ok: false, reason: `${name} not found at ${path}` };
    }
    const directory = join(this.root, probeFolder);
    try {
      const languages: SandboxLanguage[] = [];
      const unavailable: { language: SandboxLanguage; reason: string }[] = [];
      for (const language of sandboxLanguages) {
        const reason = await this.probe(directory, language);
        if (reason === undefined) languages.push(language);
        else if (language === "shell")
          return { ok: false, reason: `a trivial sandbox does not start: ${reason}` };
        else unavailable.push({ language, reason });
      }
      return { ok: true, languages, unavailable };
    } catch (error) {
      return { ok: false, reason: `a trivial sandbox does not start: ${errorMessage(error)}` };
    } finally {
      await rm(directory, { recursive: true, force: true }).catch(() => {});
    }
  }

  /** `undefined` when the language runs, otherwise why not. */
  private async probe(directory: string, language: SandboxLanguage): Promise<string | undefined> {
    try {
      const result = await this.runIn(directory, {
        language,
        code: probes[language],
        timeoutMs: 20_000,
        signal: new AbortController().signal,
      });
      if (result.exitCode === 0 && result.stdout.trim() === "sandbox-ok") return undefined;
      const detail = result.stderr.trim().slice(0, 500) || `exit code ${result.exitCode}`;
      return result.timedOut ? "timed out" : detail;
    } catch (error) {
      return errorMessage(error);
    }
  }
}
