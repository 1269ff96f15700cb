import { z } from "zod";
import { CodedError, isCodedError } from "../../errors.js";
import { defaultLabel, previewOf } from "../../harness/labels.js";
import { defineTool, type Tool, type ToolContext, type ToolResult } from "../tool.js";
import { formatRunResult } from "./format-result.js";
import { type Sandbox, type SandboxEnforcement, type SandboxLanguage, sandboxLanguages } from "./sandbox.js";
import { sandboxTaskId } from "./task-id.js";

export const defaultTimeoutSeconds = 60;
export const maximumTimeoutSeconds = 300;

const languageNotes: Record<SandboxLanguage, string> = {
  shell: "shell: a bash script",
  python: "python: a Python 3 script (no network: only packages already installed)",
  node: "node: a Node.js script, run as CommonJS (use require, or await import() inside an async function)",
};

function inputSchema(languages: readonly [SandboxLanguage, ...SandboxLanguage[]]) {
  return z.object({
    language: z
      .enum(languages)
      .describe(`What \`code\` is. ${languages.map((name) => languageNotes[name]).join("; ")}.`),
    code: z
      .string()
      .min(1)
      .max(100_000)
      .describe("The whole script or command to run, working in /workspace."),
    timeoutSeconds: z
      .number()
      .int()
      .min(1)
      .max(maximumTimeoutSeconds)
      .optional()
      .describe(
        `Wall-clock limit in seconds; the run is killed when it passes (default ${defaultTimeoutSeconds}).`,
      ),
  });
}

export type RunCodeInput = z.infer<ReturnType<typeof inputSchema>>;

/**
 * `run_code`, offering the given languages (all by default). The backend comes from
 * `context.services.sandbox`; the workspace is the task's (one Slack thread's) folder.
 */
export function createRunCodeTool(
  languages: readonly SandboxLanguage[] = sandboxLanguages,
): Tool<RunCodeInput> {
  const [first, ...rest] = languages;
  if (first === undefined) throw new Error("run_code needs at least one language");
  return defineTool<RunCodeInput>({
    name: "run_code",
    description: [
      `Run ${languages.join(", ")} code in an isolated Linux sandbox, to compute, transform data or produce files.`,
      "The working directory /workspace belongs to this task: files written there persist across steps and are",
      "listed after each run. Everything else is read-only, /tmp is emptied after each run, and there is no",
      "network access. CPU, memory, process and file-size limits apply; long output is clipped.",
    ].join(" "),
    input: inputSchema([first, ...rest]),
    risk: "write",
    confined: true,
    timeoutMs: (maximumTimeoutSeconds + 30) * 1000,
    outputLimit: 20_000,
    summarize: (input) => {
      const firstLine = input.code.trim().split("\n")[0] ?? "";
      const shown = firstLine.length > 80 ? `${firstLine.slice(0, 79)}…` : firstLine;
      return `Run ${input.language} in the sandbox: ${shown}`;
    },
    // With network, the code can send anything it was given anywhere.
    sinks: (input, context) =>
      context.services.sandbox?.network
        ? [
            {
              audience: { kind: "external", host: "any host (the sandbox has network)" },
              names: [],
              preview: previewOf(input.code),
            },
          ]
        : [],
    execute: (input, context) => runCode(input, context),
  });
}

export const runCodeTool = createRunCodeTool();

async function runCode(input: RunCodeInput, context: ToolContext): Promise<ToolResult> {
  const sandbox = context.services.sandbox;
  if (sandbox === undefined) {
    return { content: "run_code is not available: no sandbox is configured here.", isError: true };
  }
  const timeoutSeconds = input.timeoutSeconds ?? defaultTimeoutSeconds;
  try {
    const result = await sandbox.run({
      taskId: sandboxTaskId(context),
      language: input.language,
      code: input.code,
      timeoutMs: timeoutSeconds * 1000,
      signal: context.signal,
    });
    if (context.signal.aborted) {
      throw new CodedError("run_cancelled", "the run was cancelled while code was running", {
        expected: true,
        cause: context.signal.reason,
      });
    }
    return {
      content: formatRunResult(result, timeoutSeconds),
      untrusted: true,
      // The output is computed from what the model put in the code: the run's context so far.
      label: { ...(context.label ?? defaultLabel(context.userId)), untrusted: true },
      isError: result.exitCode !== 0,
    };
  } catch (error) {
    if (isCodedError(error, "sandbox_unavailable")) return { content: error.message, isError: true };
    throw error;
  }
}

/**
 * For the composition root: the tool to offer, built for the languages that work here, or why
 * `run_code` cannot be offered at all (for /readyz and the logs).
 */
export async function offerRunCode(sandbox: Sandbox): Promise<
  | {
      offered: true;
      tool: Tool<RunCodeInput>;
      languages: SandboxLanguage[];
      unavailable: { language: SandboxLanguage; reason: string }[];
      enforcement?: SandboxEnforcement;
    }
  | { offered: false; reason: string }
> {
  const availability = await sandbox.available();
  if (!availability.ok) return { offered: false, reason: availability.reason };
  if (availability.languages.length === 0)
    return { offered: false, reason: "no language runs in the sandbox" };
  return {
    offered: true,
    tool: createRunCodeTool(availability.languages),
    languages: availability.languages,
    unavailable: availability.unavailable,
    ...(availability.enforcement ? { enforcement: availability.enforcement } : {}),
  };
}
