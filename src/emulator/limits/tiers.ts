/**
 * Slack's published rate-limit tiers (per method, per workspace, per app) and the special limits the
 * emulator applies. `slack` is Slack's numbers; `generous` (the default) is the same shape, a hundred
 * times looser, so ordinary tests never meet it.
 */
export type Tier = 1 | 2 | 3 | 4;

export type RateLimitScope = "workspace" | "channel" | "thread";

/** A sliding window: at most `limit` calls per `windowMs` (or `perMinute` per minute) per scope key. */
export interface WindowLimit {
  perMinute?: number;
  limit?: number;
  windowMs?: number;
  scope?: RateLimitScope;
}

/** A token bucket (chat.postMessage: about one per second per channel, with a burst allowance). */
export interface BurstLimit {
  perSecond: number;
  burst: number;
  scope?: RateLimitScope;
}

export type MethodLimit = WindowLimit | BurstLimit;

export type RateLimitPreset = "generous" | "slack";

export const methodTiers: Record<string, Tier> = {
  "auth.test": 4,
  "users.info": 4,
  "users.list": 2,
  "conversations.info": 3,
  "conversations.history": 3,
  "conversations.replies": 3,
  "conversations.list": 2,
  "conversations.open": 3,
  "conversations.members": 4,
  "chat.update": 3,
  "chat.delete": 3,
  "chat.postEphemeral": 4,
  "chat.getPermalink": 4,
  "reactions.add": 3,
  "reactions.remove": 2,
  "reactions.get": 3,
  "views.open": 4,
  "views.update": 4,
  "views.push": 4,
  "views.publish": 4,
  "assistant.threads.setTitle": 4,
  "assistant.threads.setSuggestedPrompts": 4,
  "chat.startStream": 2,
  "chat.appendStream": 4,
  "chat.stopStream": 2,
  "files.getUploadURLExternal": 4,
  "files.completeUploadExternal": 4,
  "oauth.v2.access": 4,
};

/** Calls per minute for each tier (Slack: "1+", "20+", "50+", "100+"). */
export const tierLimits: Record<RateLimitPreset, Record<Tier, number>> = {
  slack: { 1: 1, 2: 20, 3: 50, 4: 100 },
  generous: { 1: 100, 2: 2000, 3: 5000, 4: 10000 },
};

export const specialLimits: Record<RateLimitPreset, Record<string, MethodLimit>> = {
  slack: {
    "chat.postMessage": { perSecond: 1, burst: 5, scope: "channel" },
    "assistant.threads.setStatus": { perMinute: 60, scope: "thread" },
  },
  generous: {
    "chat.postMessage": { perSecond: 100, burst: 500, scope: "channel" },
    "assistant.threads.setStatus": { perMinute: 6000, scope: "thread" },
  },
};

export function isBurstLimit(limit: MethodLimit): limit is BurstLimit {
  return "perSecond" in limit;
}
