/**
 * Resource limits for one sandboxed run. Per process (rlimits, always): address space (Node needs
 * ~1 GiB of it to start), CPU seconds, file size, open files. Per sandbox (a cgroup, where the host
 * allows it): memory, processes, CPU share. Per workspace: a disk quota (see local-sandbox.ts).
 */
export interface SandboxLimits {
  /** Longest wall-clock deadline a run may ask for. */
  maxTimeoutMs: number;
  /** CPU seconds per process (RLIMIT_CPU). */
  cpuSeconds: number;
  /** Address space per process (RLIMIT_AS). */
  memoryBytes: number;
  /**
   * Processes and threads of one sandbox (cgroup pids.max). Without cgroups, RLIMIT_NPROC instead:
   * that counts every process of the sandbox user on the host, so all sandboxes share it.
   */
  processes: number;
  /** Memory of the whole sandbox, tmpfs included (cgroup memory.max; no swap). */
  sandboxMemoryBytes: number;
  /** CPU of the whole sandbox, in cores (cgroup cpu.max). */
  cpuCores: number;
  /** Disk space of the task's workspace, all files together. */
  workspaceBytes: number;
  /** Largest file a process may write (RLIMIT_FSIZE). */
  fileBytes: number;
  /** Open files per process (RLIMIT_NOFILE). */
  openFiles: number;
  /** Size of the in-memory /tmp and /dev/shm. */
  temporaryBytes: number;
  /** Bytes of stdout, and of stderr, kept (first and last halves) before the rest is dropped. */
  outputBytes: number;
  /** Workspace entries listed after a run. */
  listedFiles: number;
}

export const defaultSandboxLimits: SandboxLimits = {
  maxTimeoutMs: 300_000,
  cpuSeconds: 300,
  memoryBytes: 2 * 1024 ** 3,
  processes: 128,
  // Above one process's address space: a single process runs out of its own first, with a clear error.
  sandboxMemoryBytes: 3 * 1024 ** 3,
  cpuCores: 1,
  workspaceBytes: 1024 ** 3,
  fileBytes: 256 * 1024 ** 2,
  openFiles: 1024,
  temporaryBytes: 256 * 1024 ** 2,
  outputBytes: 1024 ** 2,
  listedFiles: 200,
};
