import { z } from "zod";
import { databaseOf } from "../slack/services.js";
import { defineTool, type Tool } from "../tool.js";
import { memoryLine } from "./describe.js";
import { runViewer } from "./recall.js";
import { forgetMemory, memoryExists } from "./store.js";

export const forgetInput = z.object({
  memory_id: z
    .string()
    .trim()
    .min(6)
    .max(64)
    .describe("The memory's id as shown by recall (the 8-character short form is enough)"),
});

export type ForgetInput = z.infer<typeof forgetInput>;

/**
 * Deletes a memory. Not confined: memories are shared notes that outlive the run, so deleting one
 * waits for the person's approval unless the workspace's policy auto-approves `forget`.
 */
export const forgetTool: Tool<ForgetInput> = defineTool<ForgetInput>({
  name: "forget",
  description: "Delete something you remembered, by its id from recall (when someone asks you to forget it).",
  input: forgetInput,
  risk: "write",
  timeoutMs: 15_000,
  outputLimit: 2_000,
  summarize: (input) => `Forget memory ${input.memory_id}`,
  async execute(input, context) {
    const outcome = await forgetMemory(databaseOf(context), runViewer(context), input.memory_id);
    if (outcome.type === "forgotten") return { content: `Forgot ${memoryLine(outcome.memory)}` };
    if (outcome.type === "ambiguous") {
      return {
        content: `More than one memory starts with ${input.memory_id}: give more of the id.`,
        isError: true,
      };
    }
    return { content: `No memory ${input.memory_id} that this person can see.`, isError: true };
  },
  /** After a crash: gone means it was forgotten; still there means it is safe to delete now. */
  async reconcile(input, context) {
    const remaining = await memoryExists(databaseOf(context), context.workspaceId, input.memory_id);
    return remaining ? undefined : { content: `Forgot memory ${input.memory_id}.` };
  },
});
