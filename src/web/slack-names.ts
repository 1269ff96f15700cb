import { errorMessage } from "../errors.js";
import type { Logger } from "../logger.js";
import type { SlackClients } from "../slack/clients.js";

/**
 * People's and channels' names for the run viewer, which stores only Slack ids: looked up with the
 * workspace's bot token (users.info, conversations.info) and kept in a per-process cache, bounded in
 * size and expiring, so a page view does not cost a Slack call per id. An id Slack cannot resolve (or
 * that does not answer in time) shows as itself. Names are plain text here; pages escape them.
 */
export interface SlackNames {
  /** The names of `ids` (user ids U…/W…, channel ids C…/G…/D…) in the workspace; unknown ids map to themselves. */
  resolve(workspaceId: string, ids: Iterable<string>): Promise<Map<string, string>>;
}

export interface SlackNamesOptions {
  slack: Pick<SlackClients, "forWorkspace">;
  logger?: Pick<Logger, "warn">;
  now?: () => number;
  /** How long a name is kept (default 10 minutes; failed look-ups are kept a tenth of that). */
  ttlMs?: number;
  /** How many names are kept at most (default 5,000; the oldest go first). */
  maxEntries?: number;
  /** How long one page waits for Slack before showing ids (default 2 s). */
  timeoutMs?: number;
}

interface Entry {
  name: string;
  expiresAt: number;
}

export function createSlackNames(options: SlackNamesOptions): SlackNames {
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  const maxEntries = options.maxEntries ?? 5_000;
  const timeoutMs = options.timeoutMs ?? 2_000;
  const cache = new Map<string, Entry>();

  const remember = (key: string, name: string, lifetimeMs: number) => {
    cache.delete(key);
    cache.set(key, { name, expiresAt: now() + lifetimeMs });
    while (cache.size > maxEntries) {
      const oldest = cache.keys().next().value;
      if (oldest === undefined) break;
      cache.delete(oldest);
    }
  };

  const lookUp = async (workspaceId: string, id: string): Promise<string | undefined> => {
    const client = await options.slack.forWorkspace(workspaceId);
    if (isUserId(id)) {
      const user = (await client.users.info({ user: id })).user;
      return nonEmpty(user?.real_name) ?? nonEmpty(user?.profile?.display_name) ?? nonEmpty(user?.name);
    }
    const channel = (await client.conversations.info({ channel: id })).channel;
    if (channel?.is_im) return "direct message";
    const name = nonEmpty(channel?.name);
    return name ? `#${name}` : undefined;
  };

  return {
    async resolve(workspaceId, ids) {
      const names = new Map<string, string>();
      const missing: string[] = [];
      for (const id of new Set(ids)) {
        if (!isSlackId(id)) continue;
        const entry = cache.get(`${workspaceId}:${id}`);
        if (entry && entry.expiresAt > now()) names.set(id, entry.name);
        else missing.push(id);
      }
      await Promise.all(
        missing.map(async (id) => {
          const key = `${workspaceId}:${id}`;
          try {
            const name = await withTimeout(lookUp(workspaceId, id), timeoutMs);
            remember(key, name ?? id, name ? ttlMs : ttlMs / 10);
            names.set(id, name ?? id);
          } catch (error) {
            options.logger?.warn(
              { workspaceId, id, error: errorMessage(error) },
              "slack name look-up failed",
            );
            remember(key, id, ttlMs / 10);
            names.set(id, id);
          }
        }),
      );
      return names;
    },
  };
}

/** A name for `id` from `names`, or the id itself. */
export function nameOf(names: ReadonlyMap<string, string>, id: string): string {
  return names.get(id) ?? id;
}

function isUserId(id: string): boolean {
  return /^[UW][A-Z0-9]{2,}$/.test(id);
}

function isSlackId(id: string): boolean {
  return /^[UWCGD][A-Z0-9]{2,}$/.test(id);
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() ? value.trim() : undefined;
}

function withTimeout<T>(promise: Promise<T>, milliseconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Slack in ${milliseconds} ms`)), milliseconds);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
