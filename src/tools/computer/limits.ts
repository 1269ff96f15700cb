/** Resource limits for one sandboxed run. Memory is address space (RLIMIT_AS): Node needs ~1 GiB to start. */
export interface SandboxLimits {
  /** Longest wall-clock deadline a run may ask for. */
  maxTimeoutMs: number;
  /** CPU seconds per process (RLIMIT_CPU). */
  cpuSeconds: number;
  /** Address space per process (RLIMIT_AS). */
  memoryBytes: number;
  /** Processes and threads of the sandbox user (RLIMIT_NPROC). */
  processes: number;
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
  fileBytes: 256 * 1024 ** 2,
  openFiles: 1024,
  temporaryBytes: 256 * 1024 ** 2,
  outputBytes: 1024 ** 2,
  listedFiles: 200,
};
