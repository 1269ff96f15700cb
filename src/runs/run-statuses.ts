/** Run statuses as the harness writes them (see prisma/schema.prisma `Run.status`). */
export const activeRunStatuses = ["queued", "running", "waiting_approval", "waiting_input"];
export const parkedRunStatuses = ["waiting_approval", "waiting_input"];
export const endedRunStatuses = ["completed", "failed", "cancelled", "stopped"];

export function isEnded(status: string): boolean {
  return endedRunStatuses.includes(status);
}

/** How a status reads for people. */
export function describeStatus(status: string): string {
  const words: Record<string, string> = {
    queued: "Queued",
    running: "Working",
    waiting_approval: "Waiting for approval",
    waiting_input: "Waiting for a reply",
    completed: "Done",
    failed: "Failed",
    cancelled: "Stopped",
    stopped: "Stopped early",
  };
  return words[status] ?? status;
}
