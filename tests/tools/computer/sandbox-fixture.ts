import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalSandbox, type LocalSandboxOptions } from "../../../src/tools/computer/local-sandbox.js";
import type { SandboxLanguage, SandboxRunResult } from "../../../src/tools/computer/sandbox.js";

/** A real bubblewrap sandbox rooted in a fresh temporary folder. */
export async function createTestSandbox(
  options: Omit<LocalSandboxOptions, "root"> = {},
): Promise<{ sandbox: LocalSandbox; root: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), "sandbox-test-"));
  return {
    sandbox: new LocalSandbox({ root, ...options }),
    root,
    // Retried: a sandbox that was just killed may still be removing its own files for a moment.
    cleanup: () => rm(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }),
  };
}

export function run(
  sandbox: LocalSandbox,
  taskId: string,
  language: SandboxLanguage,
  code: string,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<SandboxRunResult> {
  return sandbox.run({
    taskId,
    language,
    code,
    timeoutMs: options.timeoutMs ?? 20_000,
    signal: options.signal ?? new AbortController().signal,
  });
}

/** Command lines of every process on the host that mentions `text` (the host's real process list). */
export async function hostProcessesMentioning(text: string): Promise<string[]> {
  const found: string[] = [];
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    const commandLine = await readFile(`/proc/${name}/cmdline`, "utf8").catch(() => "");
    if (commandLine.includes(text)) found.push(`${name}: ${commandLine.replaceAll("\u0000", " ")}`);
  }
  return found;
}

export function uniqueNumber(): number {
  return 100_000 + Math.floor(Math.random() * 800_000);
}
