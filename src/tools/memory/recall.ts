import { z } from "zod";
import { publicLabel } from "../../harness/labels.js";
import { databaseOf } from "../slack/services.js";
import { defineTool, type Tool, type ToolContext } from "../tool.js";
import { memoryLine } from "./describe.js";
import { memoriesLabel } from "./labels.js";
import { listMemories, type MemoryViewer, searchMemories } from "./store.js";

export const recallInput = z.object({
  query: z
    .string()
    .trim()
    .max(300)
    .default("")
    .describe("Words to search what you remembered for; empty lists the newest memories"),
  limit: z.number().int().min(1).max(30).default(10).describe("How many memories to show (default 10)"),
});

export type RecallInput = z.infer<typeof recallInput>;

/** Run-time visibility: the requester's memories, this conversation's and the workspace's. */
export function runViewer(context: Pick<ToolContext, "workspaceId" | "userId" | "channel">): MemoryViewer {
  return { workspaceId: context.workspaceId, userId: context.userId, channel: context.channel };
}

export const recallTool: Tool<RecallInput> = defineTool<RecallInput>({
  name: "recall",
  description:
    "Search the facts and preferences you were asked to remember earlier (the person's, this conversation's " +
    "and the workspace's). Each result has an id usable with forget.",
  input: recallInput,
  risk: "read",
  timeoutMs: 15_000,
  outputLimit: 10_000,
  summarize: (input) => (input.query ? `Recall "${input.query}"` : "List what I remember"),
  async execute(input, context) {
    const database = databaseOf(context);
    const memories = input.query
      ? await searchMemories(database, runViewer(context), input.query, input.limit)
      : (await listMemories(database, runViewer(context), input.limit)).memories;
    if (memories.length === 0) {
      return {
        content: input.query ? `Nothing remembered matches "${input.query}".` : "Nothing is remembered yet.",
        label: publicLabel,
      };
    }
    // Each memory keeps the label it was saved with (within its scope); fenced when untrusted.
    const label = memoriesLabel(memories);
    return { content: memories.map(memoryLine).join("\n"), untrusted: label.untrusted, label };
  },
});
