import type { SandboxEnforcement, SandboxLanguage } from "./sandbox.js";

/**
 * What this process's run_code sandbox enforces, as found when the tools were built, for /readyz:
 * an operator sees there whether runs are limited as a whole (a cgroup) or only per process, and how
 * the disk quota is kept. One value per process: the tools are built once.
 */
export type SandboxStatus =
  | { state: "not checked" }
  | { state: "off" }
  | { state: "unavailable"; reason: string }
  | { state: "ready"; languages: SandboxLanguage[]; enforcement?: SandboxEnforcement };

let current: SandboxStatus = { state: "not checked" };

export function recordSandboxStatus(status: SandboxStatus): void {
  current = status;
}

export function sandboxStatus(): SandboxStatus {
  return current;
}

/** Whether the enforcement falls back from a per-run cgroup or from a size-capped filesystem. */
export function enforcementFallbacks(enforcement: SandboxEnforcement | undefined): string[] {
  if (enforcement === undefined) return [];
  return [
    ...(enforcement.sandbox.startsWith("no cgroup") ? [enforcement.sandbox] : []),
    ...(enforcement.disk.startsWith("no size-capped") ? [enforcement.disk] : []),
  ];
}
