import type { Now } from "../clock.js";
import {
  isBurstLimit,
  type MethodLimit,
  methodTiers,
  type RateLimitPreset,
  specialLimits,
  type Tier,
  tierLimits,
} from "./tiers.js";

export interface RateLimitSettings {
  /** Base numbers: `generous` (default) or Slack's real ones. */
  preset?: RateLimitPreset;
  /** Calls per minute for each tier, overriding the preset. */
  tiers?: Partial<Record<Tier, number>>;
  /** Per-method overrides, e.g. `{ "chat.update": { perMinute: 5 } }`; `false` lifts the limit. */
  methods?: Record<string, MethodLimit | false>;
}

export interface RateLimitCall {
  teamId: string;
  method: string;
  args: { channel?: string; threadTs?: string };
}

/** Per-workspace, per-method limits, answered the way Slack answers them (429 + Retry-After). */
export class RateLimiter {
  private settings: RateLimitSettings = {};
  private enabled = true;
  private readonly windows = new Map<string, number[]>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly now: Now,
    settings: RateLimitSettings | false | undefined,
  ) {
    if (settings === false) this.enabled = false;
    else if (settings) this.settings = settings;
  }

  /** Replaces the settings (and forgets the counts). */
  configure(settings: RateLimitSettings): void {
    this.settings = settings;
    this.enabled = true;
    this.reset();
  }

  /** Sets or lifts (`false`) one method's limit. */
  setMethod(method: string, limit: MethodLimit | false): void {
    this.settings = { ...this.settings, methods: { ...this.settings.methods, [method]: limit } };
    this.reset();
  }

  disable(): void {
    this.enabled = false;
  }

  enable(): void {
    this.enabled = true;
  }

  reset(): void {
    this.windows.clear();
    this.buckets.clear();
  }

  limitFor(method: string): MethodLimit | undefined {
    const override = this.settings.methods?.[method];
    if (override === false) return undefined;
    if (override) return override;
    const preset = this.settings.preset ?? "generous";
    const special = specialLimits[preset][method];
    if (special) return special;
    const tier = methodTiers[method] ?? 3;
    return { perMinute: this.settings.tiers?.[tier] ?? tierLimits[preset][tier], scope: "workspace" };
  }

  /** Counts the call; returns the seconds to wait when it is over the limit. */
  check(call: RateLimitCall): { retryAfterSeconds: number } | undefined {
    if (!this.enabled) return undefined;
    const limit = this.limitFor(call.method);
    if (!limit) return undefined;
    const key = [call.teamId, call.method, scopeKey(limit.scope ?? "workspace", call.args)].join(":");
    return isBurstLimit(limit)
      ? this.takeToken(key, limit.perSecond, limit.burst)
      : this.countCall(key, limit);
  }

  private countCall(key: string, limit: Exclude<MethodLimit, { perSecond: number }>) {
    const windowMs = limit.windowMs ?? 60_000;
    const allowed = limit.limit ?? limit.perMinute ?? Number.POSITIVE_INFINITY;
    const now = this.now();
    const calls = (this.windows.get(key) ?? []).filter((at) => at > now - windowMs);
    this.windows.set(key, calls);
    if (calls.length >= allowed) {
      const oldest = calls[0] ?? now;
      return { retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)) };
    }
    calls.push(now);
    return undefined;
  }

  private takeToken(key: string, perSecond: number, burst: number) {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) {
      return { retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond)) };
    }
    bucket.tokens -= 1;
    return undefined;
  }
}

function scopeKey(scope: string, args: RateLimitCall["args"]): string {
  if (scope === "channel") return args.channel ?? "";
  if (scope === "thread") return `${args.channel ?? ""}:${args.threadTs ?? ""}`;
  return "";
}
