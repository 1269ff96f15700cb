import { type Label, publicLabel } from "../../harness/labels.js";
import { untrusted } from "../../harness/tool-runner.js";
import type { Database } from "../../storage/database.js";
import { memoryLine } from "./describe.js";
import { memoriesLabel, memoryLabel } from "./labels.js";
import { searchMemories } from "./store.js";

/** Memories given to a run at start, at most. */
export const startMemoryLimit = 8;

/**
 * The memories relevant to a task (matched to its prompt), for the start of its context. They are
 * fenced as untrusted data: anyone could have asked for them to be remembered.
 */
export async function memoryContext(
  database: Database,
  run: { workspaceId: string; channel: string; requesterId: string; prompt: string },
  limit = startMemoryLimit,
): Promise<string[]> {
  return (await memoryStart(database, run, { limit })).messages;
}

/**
 * The starting memories and their joined label. `admitted` keeps out memories the run's own thread
 * may not read (a person's memory in a channel): given at start they would make every answer there
 * private; the run can still `recall` them, and then its answer goes privately.
 */
export async function memoryStart(
  database: Database,
  run: { workspaceId: string; channel: string; requesterId: string; prompt: string },
  options: { limit?: number; admitted?: (label: Label) => Promise<boolean> } = {},
): Promise<{ messages: string[]; label: Label }> {
  const found = await searchMemories(
    database,
    { workspaceId: run.workspaceId, userId: run.requesterId, channel: run.channel },
    run.prompt,
    options.limit ?? startMemoryLimit,
  );
  const memories = [];
  for (const memory of found) {
    if (!options.admitted || (await options.admitted(memoryLabel(memory)))) memories.push(memory);
  }
  if (memories.length === 0) return { messages: [], label: publicLabel };
  return {
    messages: [
      "Things you were asked to remember earlier that may be relevant (they may be out of date; recall finds " +
        "more, forget deletes one):\n" +
        untrusted("memory", memories.map(memoryLine).join("\n")),
    ],
    label: memoriesLabel(memories),
  };
}
