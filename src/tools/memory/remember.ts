import { z } from "zod";
import { defaultLabel, describeReaders, joinLabels, previewOf, publicLabel } from "../../harness/labels.js";
import { databaseOf } from "../slack/services.js";
import { defineTool, type Tool, type ToolContext } from "../tool.js";
import { scopeLabel } from "./describe.js";
import { scopeReaders } from "./labels.js";
import { MemoryFullError, type MemoryScope, memoryLimits, saveMemory, shortMemoryId } from "./store.js";

export const rememberInput = z.object({
  content: z
    .string()
    .trim()
    .min(3)
    .max(memoryLimits.contentCharacters)
    .describe("The fact or preference to remember, as one self-contained sentence"),
  scope: z
    .enum(["me", "channel", "workspace"])
    .default("me")
    .describe(
      "Who it applies to: me = only the person who asked (their preferences), channel = everyone in this " +
        "conversation, workspace = everyone in the workspace",
    ),
});

export type RememberInput = z.infer<typeof rememberInput>;

/**
 * Saves a memory. Confined: it changes only the coworker's own notes, which people see and delete in
 * App Home or with `/coworker memory`, and which later runs read as untrusted data, never as orders.
 */
export const rememberTool: Tool<RememberInput> = defineTool<RememberInput>({
  name: "remember",
  description:
    'Remember a fact or preference for later tasks (e.g. "Alice wants reports as CSV", "the team\'s ' +
    'release day is Thursday"). Use it when someone asks you to remember something or states a lasting ' +
    "preference. Never store secrets or passwords.",
  input: rememberInput,
  risk: "write",
  confined: true,
  timeoutMs: 15_000,
  outputLimit: 2_000,
  summarize: (input) => `Remember: ${input.content.slice(0, 100)}`,
  // Memory is a sink: every later run in its scope reads it. Shared scopes always ask the requester.
  sinks: (input, context) => {
    const { scope, scopeId } = scopeOf(input, context);
    return [
      {
        audience: { kind: "memory", scope, id: scopeId },
        names: [],
        preview: previewOf(input.content),
        ...(scope === "user"
          ? {}
          : {
              ask: `every later task ${scope === "channel" ? "in this conversation" : "in the workspace"} will read this memory`,
            }),
      },
    ];
  },
  async execute(input, context) {
    const { scope, scopeId } = scopeOf(input, context);
    // Where it came from: the run, and the label of what it had read (joined with its scope's readers).
    const read = context.label ?? defaultLabel(context.userId);
    const label = joinLabels(read, { readers: scopeReaders(scope, scopeId), untrusted: read.untrusted });
    const provenance = {
      label,
      sourceRunId: context.runId,
      source: read.untrusted
        ? `derived from outside content read by the task (readable by ${describeReaders(read)})`
        : "the requester's own words",
    };
    try {
      const memory = await saveMemory(databaseOf(context), {
        workspaceId: context.workspaceId,
        scope,
        scopeId,
        content: input.content,
        createdBy: context.userId,
        provenance,
      });
      return {
        content:
          `Remembered (id ${shortMemoryId(memory.id)}, ${scopeLabel(memory)}). People can see and delete it ` +
          "in my App Home or with /coworker memory.",
        label: publicLabel,
      };
    } catch (error) {
      if (error instanceof MemoryFullError) return { content: error.message, isError: true };
      throw error;
    }
  },
});

function scopeOf(input: RememberInput, context: ToolContext): { scope: MemoryScope; scopeId: string } {
  const scope: MemoryScope = input.scope === "me" ? "user" : input.scope;
  const scopeId =
    scope === "user" ? context.userId : scope === "channel" ? context.channel : context.workspaceId;
  return { scope, scopeId };
}
