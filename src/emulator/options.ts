import type { Now } from "./clock.js";
import type { RateLimitSettings } from "./limits/rate-limiter.js";

export interface SlackEmulatorOptions {
  /** Port for the emulator's HTTP server (default 0: any free port). */
  port?: number;
  host?: string;
  /** The app's signing secret (default: generated). */
  signingSecret?: string;
  /** The app's Events API Request URL, e.g. `http://127.0.0.1:3000/slack/events`. */
  requestUrl?: string;
  /** Interactivity Request URL (default: `requestUrl`, as Bolt serves both on one path). */
  interactivityUrl?: string;
  /** Slash command Request URL (default: `requestUrl`). */
  commandsUrl?: string;
  /** `false` switches rate limits off; default: on, with generous numbers. */
  rateLimits?: RateLimitSettings | false;
  /** Delay before retry 1, 2, 3 of an unacknowledged event (default 1 s, 2 s, 3 s). */
  retryDelaysMs?: number[];
  /** Events not answered 2xx within this are retried (default 3000, as Slack). */
  eventTimeoutMs?: number;
  /** Commands, actions and view submissions must be acked within this (default 3000). */
  ackTimeoutMs?: number;
  /** How long a trigger_id stays usable (default 3000). */
  triggerTtlMs?: number;
  /** Deliver the bot's own posts back to it as `message` events, as Slack does (default true). */
  echoBotMessages?: boolean;
  /** Clock in milliseconds (default Date.now). Signatures use it too, so keep it near real time. */
  now?: Now;
  /** Seed for ids, for reproducible runs. */
  seed?: number;
  workspace?: { name?: string; domain?: string };
  app?: { name?: string; clientId?: string; clientSecret?: string; verificationToken?: string };
}

export interface ResolvedOptions {
  port: number;
  host: string;
  signingSecret: string;
  rateLimits: RateLimitSettings | false | undefined;
  retryDelaysMs: number[];
  eventTimeoutMs: number;
  ackTimeoutMs: number;
  triggerTtlMs: number;
  echoBotMessages: boolean;
  now: Now;
  workspace: { name: string; domain: string };
}

export function resolveOptions(options: SlackEmulatorOptions, generatedSecret: string): ResolvedOptions {
  return {
    port: options.port ?? 0,
    host: options.host ?? "127.0.0.1",
    signingSecret: options.signingSecret ?? generatedSecret,
    rateLimits: options.rateLimits,
    retryDelaysMs: options.retryDelaysMs ?? [1000, 2000, 3000],
    eventTimeoutMs: options.eventTimeoutMs ?? 3000,
    ackTimeoutMs: options.ackTimeoutMs ?? 3000,
    triggerTtlMs: options.triggerTtlMs ?? 3000,
    echoBotMessages: options.echoBotMessages ?? true,
    now: options.now ?? Date.now,
    workspace: {
      name: options.workspace?.name ?? "Coworker Test",
      domain: options.workspace?.domain ?? "coworker-test",
    },
  };
}
