import type { SandboxRunResult, WorkspaceFile } from "./sandbox.js";

/** What the model reads after a run: how it ended, its output, and the workspace's files. */
export function formatRunResult(result: SandboxRunResult, timeoutSeconds: number): string {
  const sections = [ending(result, timeoutSeconds), ...limitNotes(result)];
  if (result.stdout !== "") sections.push(`stdout:\n${result.stdout}`);
  if (result.stderr !== "") sections.push(`stderr:\n${result.stderr}`);
  if (result.stdout === "" && result.stderr === "") sections.push("(no output)");
  sections.push(fileSection(result.files, result.filesTruncated ?? false));
  return sections.join("\n\n");
}

function ending(result: SandboxRunResult, timeoutSeconds: number): string {
  if (result.timedOut) return `Timed out after ${timeoutSeconds} s: killed.`;
  if (result.killed) return "Killed before it finished.";
  if (result.exitCode !== null && result.exitCode > 128) {
    return `Exit code ${result.exitCode} (ended by signal ${result.exitCode - 128}, e.g. a CPU, memory or file-size limit).`;
  }
  return `Exit code ${result.exitCode}.`;
}

/** Says plainly which sandbox-wide limit stopped something, so the model can change its approach. */
function limitNotes(result: SandboxRunResult): string[] {
  const limits = result.limits;
  if (limits === undefined) return [];
  const notes: string[] = [];
  if (limits.oomKills > 0) {
    notes.push(
      `Memory limit: ${limits.oomKills} process(es) were killed because the sandbox as a whole may use at most ${mebibytes(limits.sandboxMemoryBytes)}.`,
    );
  }
  if (limits.processLimitHits > 0) {
    notes.push(
      `Process limit: ${limits.processLimitHits} fork(s) were refused; the sandbox may run at most ${limits.processes} processes and threads.`,
    );
  }
  if (limits.workspaceFull) {
    notes.push(
      `Disk quota: /workspace is full (quota ${mebibytes(limits.workspaceQuotaBytes)} for all its files); writes past it failed. Delete files to make room.`,
    );
  }
  return notes;
}

function mebibytes(bytes: number): string {
  return `${Math.round(bytes / 1024 ** 2)} MiB`;
}

function fileSection(files: WorkspaceFile[], truncated: boolean): string {
  if (files.length === 0) return "/workspace is empty.";
  const lines = files.map((file) => {
    const mark = file.changed ? "*" : " ";
    const name = file.kind === "directory" ? `${file.path}/` : file.path;
    const detail =
      file.kind === "file" ? ` (${file.bytes} bytes)` : file.kind === "symlink" ? " (symlink)" : "";
    return `${mark} ${name}${detail}`;
  });
  const more = truncated ? "\n  ... more entries not listed" : "";
  return `Files in /workspace (* = created or changed by this run):\n${lines.join("\n")}${more}`;
}
