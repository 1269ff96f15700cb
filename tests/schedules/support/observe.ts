import type { Message, SlackEmulator } from "../../../src/emulator/index.js";
import type { Database } from "../../../src/storage/database.js";

/** What a schedule left in a channel and in Postgres, for assertions. */
export function keyOf(message: Message): string | undefined {
  const key = message.metadata?.event_payload?.key;
  return typeof key === "string" ? key : undefined;
}

/** Top-level messages of the channel carrying one of the schedule's keys (`tick:`, `missed:`, `manual:`). */
export function scheduleMessages(
  slack: SlackEmulator,
  channel: string,
  scheduleId: string,
  kind: "tick" | "missed" | "manual",
): Message[] {
  return slack.messages(channel).filter((message) => keyOf(message)?.startsWith(`${kind}:${scheduleId}:`));
}

export async function ticksOf(database: Database, scheduleId: string) {
  return database.scheduleTick.findMany({ where: { scheduleId }, orderBy: { scheduledAt: "asc" } });
}

/** Polls until `check` returns something truthy (Postgres and the queue settle asynchronously). */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ""}`);
}
