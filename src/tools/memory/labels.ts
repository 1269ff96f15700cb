import { joinLabels, type Label, labelSchema, type Reader } from "../../harness/labels.js";
import type { MemoryRecord, MemoryScope } from "./store.js";

/**
 * Memories keep the label of what they were made from (src/harness/labels.ts): who may read them
 * and whether they are untrusted. A memory is also never readable beyond its scope: a person's
 * memory by that person, a channel's by its members. Memories saved before labels existed get the
 * label of their scope, untrusted (anyone could have asked for them).
 */
export function scopeReaders(scope: MemoryScope, scopeId: string): Reader[] {
  if (scope === "user") return [`user:${scopeId}`];
  if (scope === "channel") return [`conversation:${scopeId}`];
  return ["workspace"];
}

/** The label a memory is read with: what it was saved with, within its scope. */
export function memoryLabel(memory: Pick<MemoryRecord, "scope" | "scopeId" | "label">): Label {
  const stored = labelSchema.safeParse(memory.label);
  const scope: Label = { readers: scopeReaders(memory.scope, memory.scopeId), untrusted: !stored.success };
  return joinLabels(scope, stored.success ? stored.data : undefined);
}

/** The label of several memories read together. */
export function memoriesLabel(memories: Array<Pick<MemoryRecord, "scope" | "scopeId" | "label">>): Label {
  return joinLabels(...memories.map(memoryLabel));
}
