import { createHash } from "node:crypto";
import type { Database, Prisma } from "../storage/database.js";
import { publicLabel } from "./labels.js";

/**
 * The side-effect ledger. Every effect (a tool call, a message posted to Slack) has a deterministic
 * idempotency key; its intent is committed before it runs and its result after. After a crash, an
 * intent without a result is never re-run blindly: it is re-run only when the effect is read-only,
 * reconciled when the effect can be looked up, and otherwise reported as unknown (the harness asks).
 */
export type Interrupted = "rerun" | "reconcile" | "ask";

export type EffectOutcome =
  | { status: "done"; result: Prisma.JsonValue; replayed: boolean }
  | { status: "failed"; result: Prisma.JsonValue; replayed: boolean }
  | { status: "unknown" };

export interface EffectEntry {
  key: string;
  runId: string;
  step: number;
  callId: string;
  tool: string;
  arguments: Prisma.InputJsonValue;
}

export interface Effect {
  whenInterrupted: Interrupted;
  execute(): Promise<Prisma.InputJsonValue>;
  /** Finds the effect's result if it happened; undefined if it did not. */
  reconcile?(): Promise<Prisma.InputJsonValue | undefined>;
  /** Errors that mean "we did not finish" rather than "it failed" (abort, shutdown): leave the intent. */
  isInterruption?(error: unknown): boolean;
}

export function argumentsHash(value: unknown): string {
  return createHash("sha256").update(stableJson(value)).digest("hex");
}

/** JSON with sorted keys: the same value always gives the same bytes. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, item) =>
    item && typeof item === "object" && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

export async function performOnce(
  database: Database,
  entry: EffectEntry,
  effect: Effect,
): Promise<EffectOutcome> {
  const existing = await database.toolCall.findUnique({ where: { key: entry.key } });
  if (existing?.status === "done" || existing?.status === "failed") {
    return { status: existing.status, result: existing.result ?? null, replayed: true };
  }
  if (existing) {
    // An intent with no result: the process died while the effect was running.
    if (effect.whenInterrupted === "ask" || (effect.whenInterrupted === "reconcile" && !effect.reconcile)) {
      await database.toolCall.update({ where: { key: entry.key }, data: { status: "unknown" } });
      return { status: "unknown" };
    }
    if (effect.whenInterrupted === "reconcile" && effect.reconcile) {
      const found = await effect.reconcile();
      if (found !== undefined) {
        await finish(database, entry.key, "done", found);
        return { status: "done", result: found as Prisma.JsonValue, replayed: true };
      }
    }
  } else {
    await database.toolCall.create({
      data: { ...entry, argumentsHash: argumentsHash(entry.arguments), status: "intent" },
    });
  }
  try {
    const result = await effect.execute();
    await finish(database, entry.key, "done", result);
    return { status: "done", result: result as Prisma.JsonValue, replayed: false };
  } catch (error) {
    if (effect.isInterruption?.(error)) throw error;
    const result = { error: error instanceof Error ? error.message : String(error) };
    await finish(database, entry.key, "failed", result);
    return { status: "failed", result, replayed: false };
  }
}

/** Marks an unknown effect as resolved by a person ("it happened" or "do it again"). */
export async function resolveUnknown(database: Database, key: string, happened: boolean): Promise<void> {
  if (happened) {
    await finish(database, key, "done", {
      content: "The user confirmed that this already happened.",
      isError: false,
      // The requester's own word: it adds nothing private to the run's context.
      label: { ...publicLabel },
    });
  } else await database.toolCall.delete({ where: { key } });
}

async function finish(
  database: Database,
  key: string,
  status: "done" | "failed",
  result: Prisma.InputJsonValue,
) {
  await database.toolCall.update({ where: { key }, data: { status, result, finishedAt: new Date() } });
}
