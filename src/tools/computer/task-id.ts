import { createHash } from "node:crypto";
import { CodedError } from "../../errors.js";

const safeTaskId = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** A task id usable as one folder name: no separators, no dots, nothing path-traversable. */
export function isSafeTaskId(taskId: string): boolean {
  return safeTaskId.test(taskId);
}

export function assertSafeTaskId(taskId: string): void {
  if (!isSafeTaskId(taskId)) {
    throw new CodedError("sandbox_invalid_task", `not a safe sandbox task id: ${JSON.stringify(taskId)}`);
  }
}

/**
 * The sandbox folder of one requester in a Slack thread: a task is one thread (workspace, channel,
 * thread ts), and each person who asks in it gets their own folder there, so a second person's run
 * in the thread never sees the first requester's files. Call it with the same values to remove it.
 */
export function sandboxTaskId(thread: {
  workspaceId: string;
  channel: string;
  threadTs: string;
  userId: string;
}): string {
  const digest = createHash("sha256")
    .update(`${thread.workspaceId}\u0000${thread.channel}\u0000${thread.threadTs}\u0000${thread.userId}`)
    .digest("hex");
  return `task-${digest.slice(0, 40)}`;
}
