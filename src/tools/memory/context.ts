import { untrusted } from "../../harness/tool-runner.js";
import type { Database } from "../../storage/database.js";
import { memoryLine } from "./describe.js";
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
  const memories = await searchMemories(
    database,
    { workspaceId: run.workspaceId, userId: run.requesterId, channel: run.channel },
    run.prompt,
    limit,
  );
  if (memories.length === 0) return [];
  return [
    "Things you were asked to remember earlier that may be relevant (they may be out of date; recall finds " +
      "more, forget deletes one):\n" +
      untrusted("memory", memories.map(memoryLine).join("\n")),
  ];
}
