import { type MemoryRecord, shortMemoryId } from "./store.js";

/** How a memory is shown to the model and to people: short id, who it is for, the text. */
export function scopeLabel(memory: Pick<MemoryRecord, "scope" | "scopeId">): string {
  if (memory.scope === "user") return `for <@${memory.scopeId}>`;
  if (memory.scope === "channel") return `for <#${memory.scopeId}>`;
  return "for the whole workspace";
}

export function memoryLine(memory: MemoryRecord): string {
  const day = memory.createdAt.toISOString().slice(0, 10);
  return `[${shortMemoryId(memory.id)}] (${scopeLabel(memory)}, ${day}) ${memory.content}`;
}
