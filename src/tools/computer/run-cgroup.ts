import { randomUUID } from "node:crypto";
import { access, mkdir, readFile, rmdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { CgroupHost } from "./cgroup-host.js";

/**
 * One run's control group: created before the sandbox starts, joined by bubblewrap's process before
 * it execs (so every process the sandbox ever starts is inside), read after the run for what the
 * limits stopped, then emptied and removed.
 */
export interface RunCgroupLimits {
  /** memory.max (v2) / memory.limit_in_bytes (v1), for all processes and tmpfs pages together; no swap. */
  memoryBytes: number;
  /** pids.max: processes and threads of the whole sandbox. */
  processes: number;
  /** cpu.max: CPU time per wall-clock time, in cores (0.5 = half a core). */
  cpuCores: number;
}

/** What the limits did during the run. */
export interface CgroupUsage {
  /** Highest memory use seen, when the kernel reports it. */
  memoryPeakBytes?: number;
  /** Processes the kernel's OOM killer ended for exceeding the memory limit. */
  oomKills: number;
  /** Times a fork or clone was refused by pids.max. */
  processLimitHits: number;
  /** Periods in which the sandbox was throttled by cpu.max. */
  cpuThrottledPeriods: number;
}

export interface RunCgroup {
  /** Puts a process (and so everything it starts later) in the group. */
  join(pid: number): Promise<void>;
  usage(): Promise<CgroupUsage>;
  /** Kills whatever is still inside, then removes the group. */
  remove(): Promise<void>;
}

const cpuPeriodMicroseconds = 100_000;

export async function createRunCgroup(
  host: Extract<CgroupHost, { ok: true }>,
  limits: RunCgroupLimits,
): Promise<RunCgroup> {
  const name = `run-${randomUUID()}`;
  const quota = Math.max(1_000, Math.round(limits.cpuCores * cpuPeriodMicroseconds));
  if (host.version === 2) {
    const directory = join(host.parent, name);
    await mkdir(directory);
    const group = new Group([directory], {
      peak: [directory, "memory.peak"],
      oom: [directory, "memory.events"],
      pids: [directory, "pids.events"],
      cpu: [directory, "cpu.stat"],
    });
    await group.configure([
      [directory, "memory.max", String(limits.memoryBytes)],
      [directory, "memory.swap.max", "0", "optional"],
      [directory, "pids.max", String(limits.processes)],
      [directory, "cpu.max", `${quota} ${cpuPeriodMicroseconds}`],
    ]);
    return group;
  }
  const memory = join(host.parents.memory, name);
  const pids = join(host.parents.pids, name);
  const cpu = join(host.parents.cpu, name);
  for (const directory of [memory, pids, cpu]) await mkdir(directory);
  const group = new Group([memory, pids, cpu], {
    peak: [memory, "memory.max_usage_in_bytes"],
    oom: [memory, "memory.oom_control"],
    pids: [pids, "pids.events"],
    cpu: [cpu, "cpu.stat"],
  });
  await group.configure([
    [memory, "memory.limit_in_bytes", String(limits.memoryBytes)],
    // Memory plus swap at the same value: no swapping out of the limit (absent without swap accounting).
    [memory, "memory.memsw.limit_in_bytes", String(limits.memoryBytes), "optional"],
    [pids, "pids.max", String(limits.processes)],
    [cpu, "cpu.cfs_period_us", String(cpuPeriodMicroseconds)],
    [cpu, "cpu.cfs_quota_us", String(quota)],
  ]);
  return group;
}

type Setting = [directory: string, file: string, value: string, optional?: "optional"];

class Group implements RunCgroup {
  constructor(
    private readonly directories: string[],
    private readonly files: Record<"peak" | "oom" | "pids" | "cpu", [string, string]>,
  ) {}

  async configure(settings: Setting[]): Promise<void> {
    try {
      for (const [directory, file, value, optional] of settings) {
        const path = join(directory, file);
        if (optional && !(await exists(path))) continue;
        await writeFile(path, value);
      }
    } catch (error) {
      await this.remove();
      throw error;
    }
  }

  async join(pid: number): Promise<void> {
    for (const directory of this.directories) await writeFile(join(directory, "cgroup.procs"), String(pid));
  }

  async usage(): Promise<CgroupUsage> {
    const read = ([directory, file]: [string, string]) =>
      readFile(join(directory, file), "utf8").catch(() => "");
    const [peak, oom, pids, cpu] = await Promise.all([
      read(this.files.peak),
      read(this.files.oom),
      read(this.files.pids),
      read(this.files.cpu),
    ]);
    const peakBytes = Number.parseInt(peak, 10);
    return {
      ...(Number.isFinite(peakBytes) ? { memoryPeakBytes: peakBytes } : {}),
      oomKills: counter(oom, "oom_kill"),
      processLimitHits: counter(pids, "max"),
      cpuThrottledPeriods: counter(cpu, "nr_throttled"),
    };
  }

  async remove(): Promise<void> {
    // The sandbox's PID namespace normally died with bubblewrap; anything left is killed here.
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const remaining = await this.members();
      for (const pid of remaining) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // Already gone.
        }
      }
      const removed = await Promise.all(
        this.directories.map((directory) =>
          rmdir(directory).then(
            () => true,
            (error: NodeJS.ErrnoException) => error.code === "ENOENT",
          ),
        ),
      );
      if (removed.every(Boolean)) return;
      await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
    }
  }

  private async members(): Promise<number[]> {
    const lists = await Promise.all(
      this.directories.map((directory) => readFile(join(directory, "cgroup.procs"), "utf8").catch(() => "")),
    );
    return [...new Set(lists.flatMap((list) => list.split("\n").filter(Boolean).map(Number)))];
  }
}

/** `name value` lines (memory.events, pids.events, cpu.stat, memory.oom_control). */
function counter(text: string, name: string): number {
  const line = text.split("\n").find((entry) => entry.startsWith(`${name} `));
  return line === undefined ? 0 : Number(line.slice(name.length + 1)) || 0;
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
