import type { Database } from "../storage/database.js";
import { clipOutput } from "./artifacts.js";

/**
 * How much of one Slack message reaches the prompt. A mention, a reply read as steering, an earlier
 * message of the thread and a shared file read with read_file are each cut to a preview (its start and
 * end, its size, and the handle of an artifact holding it whole) when longer than the limit
 * (MESSAGE_PROMPT_LIMIT); the model reads the rest with read_artifact, like a large tool output. A
 * 1 MB paste then costs a few thousand tokens per model call instead of hundreds of thousands.
 */
export const defaultMessageLimit = 8_000;

export async function limitMessage(
  database: Database,
  runId: string,
  name: string,
  text: string,
  limit = defaultMessageLimit,
): Promise<string> {
  return (await clipOutput(database, runId, name, text, limit)).text;
}
