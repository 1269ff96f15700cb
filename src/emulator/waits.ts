import { CodedError } from "../errors.js";
import type { WorkspaceStore } from "./state/store.js";
import type { Message } from "./state/types.js";

/**
 * Resolves with the first truthy value of `check`, re-checked on every change in the store (and
 * every 25 ms, for conditions that depend on time); rejects after `timeoutMs`.
 */
export function waitFor<T>(
  store: WorkspaceStore,
  check: () => T | undefined | null | false,
  options: { timeoutMs?: number; description?: string } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 5000;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      unsubscribe();
      clearInterval(poll);
      clearTimeout(timer);
      outcome();
    };
    const attempt = () => {
      try {
        const value = check();
        if (value) finish(() => resolve(value));
      } catch (error) {
        finish(() => reject(error));
      }
    };
    const unsubscribe = store.subscribe(() => attempt());
    const poll = setInterval(attempt, 25);
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new CodedError(
              "emulator_timeout",
              `emulator: timed out after ${timeoutMs} ms waiting for ${options.description ?? "condition"}`,
            ),
          ),
        ),
      timeoutMs,
    );
    attempt();
  });
}

export interface MessageQuery {
  channel: string;
  /** Only replies in this thread (the parent included). Without it: any message of the channel. */
  threadTs?: string;
  /** Text (or, for Block Kit messages, the JSON of the blocks) contains this. */
  contains?: string | RegExp;
  /** `"bot"`: the app's bot; `"user"`: a person; or a user id. */
  from?: "bot" | "user" | string;
  /** Only messages newer than this ts. */
  after?: string;
  match?: (message: Message) => boolean;
}

export function messageMatches(message: Message, query: Omit<MessageQuery, "channel" | "threadTs">): boolean {
  if (query.after !== undefined && Number(message.ts) <= Number(query.after)) return false;
  if (query.from === "bot" && !message.botId) return false;
  if (query.from === "user" && message.botId) return false;
  if (query.from && query.from !== "bot" && query.from !== "user" && message.user !== query.from)
    return false;
  if (query.contains !== undefined) {
    const haystack = `${message.text}\n${message.blocks ? JSON.stringify(message.blocks) : ""}`;
    const found =
      typeof query.contains === "string" ? haystack.includes(query.contains) : query.contains.test(haystack);
    if (!found) return false;
  }
  return query.match ? query.match(message) : true;
}
