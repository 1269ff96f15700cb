import type { SandboxRunResult, WorkspaceFile } from "./sandbox.js";

/** What the model reads after a run: how it ended, its output, and the workspace's files. */
export function formatRunResult(result: SandboxRunResult, timeoutSeconds: number): string {
  const sections = [ending(result, timeoutSeconds)];
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
