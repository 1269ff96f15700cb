/**
 * The sandboxed computer behind `run_code`: a backend runs code in an isolated environment with a
 * per-task workspace folder that persists across the task's steps. `LocalSandbox` (bubblewrap) is
 * the local backend; a remote backend (see docs/sandbox.md) implements the same interface.
 */
export type SandboxLanguage = "shell" | "python" | "node";

export const sandboxLanguages: readonly SandboxLanguage[] = ["shell", "python", "node"];

export type SandboxAvailability =
  | {
      ok: true;
      /** Languages that actually start; the others are listed in `unavailable` with why. */
      languages: SandboxLanguage[];
      unavailable: { language: SandboxLanguage; reason: string }[];
      /** What limits a whole run and a workspace here, and what is enforced instead where the host cannot (logs, /readyz). */
      enforcement?: SandboxEnforcement;
    }
  | { ok: false; reason: string };

export interface SandboxEnforcement {
  /** Memory, processes and CPU of the whole sandbox: a cgroup, or only per-process rlimits. */
  sandbox: string;
  /** The workspace's disk quota: a size-capped filesystem, or accounting. */
  disk: string;
}

/** What the sandbox-wide limits stopped during one run. */
export interface SandboxLimitEvents {
  /** Processes ended by the kernel for exceeding the sandbox's memory limit. */
  oomKills: number;
  /** Forks refused by the sandbox's process limit. */
  processLimitHits: number;
  memoryPeakBytes?: number;
  /** The workspace reached its disk quota. */
  workspaceFull: boolean;
  workspaceQuotaBytes: number;
  sandboxMemoryBytes: number;
  processes: number;
}

export interface SandboxRunRequest {
  /** Names the workspace folder: letters, digits, `_` and `-`, starting with a letter or digit. */
  taskId: string;
  language: SandboxLanguage;
  code: string;
  /** Wall-clock deadline; the backend clamps it to its own maximum. */
  timeoutMs: number;
  /** Aborting kills everything the run started. */
  signal: AbortSignal;
}

/** One entry of the workspace after a run; paths are relative to the workspace root. */
export interface WorkspaceFile {
  path: string;
  kind: "file" | "directory" | "symlink" | "other";
  bytes: number;
  /** Created or modified by this run (a directory: created). */
  changed: boolean;
}

export interface SandboxRunResult {
  /** `null` when the process ended by a signal (timeout, abort, a resource limit). */
  exitCode: number | null;
  /** Clipped to the backend's output limit, with a marker where bytes were dropped. */
  stdout: string;
  stderr: string;
  /** The deadline passed and the run was killed. */
  timedOut: boolean;
  /** The run was killed: deadline, abort, or a signal from a resource limit. */
  killed: boolean;
  files: WorkspaceFile[];
  /** More workspace entries exist than `files` lists. */
  filesTruncated?: boolean;
  /** Set by backends that enforce sandbox-wide limits. */
  limits?: SandboxLimitEvents;
}

export interface Sandbox {
  /** Whether runs can start at all here, and which languages work. */
  available(): Promise<SandboxAvailability>;
  run(request: SandboxRunRequest): Promise<SandboxRunResult>;
  /** Deletes the task's workspace; a no-op when it does not exist. */
  removeWorkspace(taskId: string): Promise<void>;
  /** Runs can reach the network: the code is then an outbound sink (any host). */
  readonly network?: boolean;
}

declare module "../tool.js" {
  interface ToolServices {
    /** `run_code`'s backend, set by the composition root when `available()` said ok. */
    sandbox?: Sandbox;
  }
}
