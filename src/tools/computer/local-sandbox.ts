import { existsSync } from "node:fs";
import { chmod, chown, lstat, mkdir, rm, statfs } from "node:fs/promises";
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
import { type CgroupHost, describeCgroupHost, detectCgroupHost } from "./cgroup-host.js";
import { findInterpreter, type Interpreter, type InterpreterPaths } from "./interpreters.js";
import { defaultSandboxLimits, type SandboxLimits } from "./limits.js";
import { runProcess } from "./process-runner.js";
import { type CgroupUsage, createRunCgroup, type RunCgroup } from "./run-cgroup.js";
import type {
  Sandbox,
  SandboxAvailability,
  SandboxEnforcement,
  SandboxLanguage,
  SandboxRunRequest,
  SandboxRunResult,
} from "./sandbox.js";
import { sandboxLanguages } from "./sandbox.js";
import { assertSafeTaskId } from "./task-id.js";
import { lockTask } from "./task-lock.js";
import { listWorkspace, snapshotWorkspace, workspaceBytes } from "./workspace-files.js";
import { WorkspaceVolumes } from "./workspace-volume.js";

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
  /** util-linux's flock, which holds a task's lock so its runs take turns. */
  flockPath?: string;
  /**
   * Name of the cgroup under which each run gets its own (memory, pids, cpu); `false` for none, so
   * only per-process rlimits apply (as on hosts without usable cgroups).
   */
  cgroupParent?: string | false;
  /**
   * How the workspace's disk quota is kept: "volume" (a loop-mounted ext4 image of the quota's size
   * per workspace, mounted for the length of a run; needs root, else accounting) or "accounting"
   * (the default: no file may grow past the quota left, a full workspace gets no new bytes). With
   * "volume" the host folder is empty between runs: the files live in the image.
   */
  diskQuota?: "volume" | "accounting";
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
  private readonly flockPath: string;
  private readonly cgroupParent: string | false;
  private readonly volumes: WorkspaceVolumes | undefined;
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
    this.flockPath = options.flockPath ?? "/usr/bin/flock";
    this.cgroupParent = options.cgroupParent ?? "coworker-sandbox";
    this.volumes =
      options.diskQuota !== "volume"
        ? undefined
        : new WorkspaceVolumes({
            directory: join(this.root, ".volumes"),
            quotaBytes: this.limits.workspaceBytes,
          });
  }

  /** What limits a whole run and a workspace on this host (for the logs and /readyz). */
  async enforcement(): Promise<SandboxEnforcement> {
    const [cgroup, volumeProblem] = await Promise.all([this.cgroupHost(), this.volumeProblem()]);
    const quota = `${Math.round(this.limits.workspaceBytes / 1024 ** 2)} MiB`;
    return {
      sandbox: describeCgroupHost(cgroup),
      disk:
        volumeProblem === undefined
          ? `a loop-mounted ext4 filesystem of ${quota} per workspace: writes past it fail`
          : `no size-capped filesystem (${volumeProblem}); enforced instead: accounting, each file capped at the quota left, a workspace over ${quota} gets no new bytes`,
    };
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
    return this.runIn(this.workspaceDirectory(request.taskId), request, request.taskId);
  }

  async removeWorkspace(taskId: string): Promise<void> {
    await this.removeFolder(taskId, this.workspaceDirectory(taskId));
  }

  private async removeFolder(taskId: string, directory: string): Promise<void> {
    if (this.volumes) await this.volumes.remove(taskId, directory);
    await rm(directory, { recursive: true, force: true });
    await rm(`${directory}.lock`, { force: true });
  }

  private cgroupHost(): Promise<CgroupHost> {
    if (this.cgroupParent === false) return Promise.resolve({ ok: false, reason: "turned off" });
    return detectCgroupHost(this.cgroupParent);
  }

  private async volumeProblem(): Promise<string | undefined> {
    return this.volumes ? this.volumes.probe() : "not configured";
  }

  /** One run at a time per workspace: lock, mount the workspace's volume, run in a fresh cgroup, undo. */
  private async runIn(
    directory: string,
    request: Omit<SandboxRunRequest, "taskId">,
    taskId: string,
  ): Promise<SandboxRunResult> {
    const lookup = findInterpreter(request.language, this.interpreterPaths);
    if (!lookup.ok) {
      throw new CodedError("sandbox_unavailable", `${request.language} is not available: ${lookup.reason}`, {
        expected: true,
      });
    }
    await this.prepareWorkspace(directory);
    const lock = await lockTask(
      { flockPath: this.flockPath, lockFile: `${directory}.lock`, waitMs: this.limits.maxTimeoutMs + 60_000 },
      request.signal,
    );
    if (lock === "aborted") return abortedResult();
    let unmount: (() => Promise<void>) | undefined;
    try {
      const volumes = (await this.volumeProblem()) === undefined ? this.volumes : undefined;
      unmount = await volumes?.mount(taskId, directory);
      return await this.runLocked(directory, request, lookup.interpreter, unmount !== undefined);
    } finally {
      await unmount?.();
      lock.release();
    }
  }

  private async runLocked(
    directory: string,
    request: Omit<SandboxRunRequest, "taskId">,
    interpreter: Interpreter,
    onVolume: boolean,
  ): Promise<SandboxRunResult> {
    const before = await snapshotWorkspace(directory);
    // Accounting when there is no size-capped filesystem: no file may grow past the quota left.
    const left = onVolume ? this.limits.fileBytes : this.limits.workspaceBytes - workspaceBytes(before);
    const host = await this.cgroupHost();
    const cgroup: RunCgroup | undefined = host.ok
      ? await createRunCgroup(host, {
          memoryBytes: this.limits.sandboxMemoryBytes,
          processes: this.limits.processes,
          cpuCores: this.limits.cpuCores,
        })
      : undefined;
    let usage: CgroupUsage | undefined;
    let result: Awaited<ReturnType<typeof runProcess>>;
    try {
      const args = bubblewrapArguments({
        workspaceDirectory: directory,
        interpreter,
        prlimitPath: this.prlimitPath,
        limits: { ...this.limits, fileBytes: Math.max(0, Math.min(this.limits.fileBytes, left)) },
        network: this.network,
        processesInCgroup: cgroup !== undefined,
      });
      const data: string[] = [];
      data[dataDescriptors.script - 3] = request.code;
      data[dataDescriptors.passwd - 3] = passwdFile();
      data[dataDescriptors.group - 3] = groupFile();
      result = await runProcess({
        command: this.bubblewrapPath,
        args,
        data,
        user: this.user,
        timeoutMs: Math.max(1, Math.min(request.timeoutMs, this.limits.maxTimeoutMs)),
        signal: request.signal,
        outputBytes: this.limits.outputBytes,
        ...(cgroup ? { beforeStart: (pid: number) => joinCgroup(cgroup, pid) } : {}),
      });
      usage = await cgroup?.usage();
    } finally {
      await cgroup?.remove();
    }
    const after = await snapshotWorkspace(directory);
    const listing = listWorkspace(before, after, this.limits.listedFiles);
    const workspaceFull = onVolume
      ? await volumeFull(directory)
      : workspaceBytes(after) >= this.limits.workspaceBytes;
    return {
      exitCode: result.exitCode,
      stdout: result.stdout,
      stderr: result.stderr,
      timedOut: result.timedOut,
      killed: result.exitCode === null,
      files: listing.files,
      ...(listing.truncated ? { filesTruncated: true } : {}),
      limits: {
        oomKills: usage?.oomKills ?? 0,
        processLimitHits: usage?.processLimitHits ?? 0,
        ...(usage?.memoryPeakBytes !== undefined ? { memoryPeakBytes: usage.memoryPeakBytes } : {}),
        workspaceFull,
        workspaceQuotaBytes: this.limits.workspaceBytes,
        sandboxMemoryBytes: this.limits.sandboxMemoryBytes,
        processes: this.limits.processes,
      },
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
      ["flock", this.flockPath],
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
      return { ok: true, languages, unavailable, enforcement: await this.enforcement() };
    } catch (error) {
      return { ok: false, reason: `a trivial sandbox does not start: ${errorMessage(error)}` };
    } finally {
      await this.removeFolder(probeFolder, directory).catch(() => {});
    }
  }

  /** `undefined` when the language runs, otherwise why not. */
  private async probe(directory: string, language: SandboxLanguage): Promise<string | undefined> {
    try {
      const result = await this.runIn(
        directory,
        { language, code: probes[language], timeoutMs: 20_000, signal: new AbortController().signal },
        probeFolder,
      );
      if (result.exitCode === 0 && result.stdout.trim() === "sandbox-ok") return undefined;
      const detail = result.stderr.trim().slice(0, 500) || `exit code ${result.exitCode}`;
      return result.timedOut ? "timed out" : detail;
    } catch (error) {
      return errorMessage(error);
    }
  }
}

function abortedResult(): SandboxRunResult {
  return { exitCode: null, stdout: "", stderr: "", timedOut: false, killed: true, files: [] };
}

/** Less than 64 KiB left on the workspace's own filesystem. */
async function volumeFull(directory: string): Promise<boolean> {
  const stats = await statfs(directory).catch(() => undefined);
  return stats !== undefined && stats.bavail * stats.bsize < 64 * 1024;
}

/** The sandbox never starts outside its cgroup: a failure to join is the run's failure, said plainly. */
async function joinCgroup(cgroup: RunCgroup, pid: number): Promise<void> {
  try {
    await cgroup.join(pid);
  } catch (error) {
    throw new CodedError(
      "sandbox_unavailable",
      `could not put the run in its cgroup: ${errorMessage(error)}`,
      {
        expected: true,
      },
    );
  }
}
