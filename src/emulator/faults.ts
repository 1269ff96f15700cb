import type { Now } from "./clock.js";

/** Which calls a fault hits: some methods (default all), for a number of calls and/or a time window. */
export interface FaultScope {
  methods?: string[];
  /** Stop after hitting this many calls. */
  calls?: number;
  /** Stop this many milliseconds after the fault was added. */
  durationMs?: number;
}

export type FaultKind = "rate_limit" | "server_error" | "latency" | "drop_events" | "fail_events";

export interface Fault {
  id: number;
  kind: FaultKind;
  /** How many calls (or deliveries) it has hit so far. */
  hits: number;
  remove(): void;
}

interface ActiveFault extends Fault {
  scope: FaultScope;
  addedAt: number;
  retryAfterSeconds: number;
  status: number;
  latencyMs: number;
  eventTypes: string[] | undefined;
  removed: boolean;
}

export interface ApiFaultEffects {
  latencyMs: number;
  /** Answer 429 with this Retry-After. */
  rateLimitSeconds: number | undefined;
  /** Answer with this HTTP status (5xx). */
  serverErrorStatus: number | undefined;
}

/** Injected failures: 429 storms, 5xx, added latency on the Web API; dropped event deliveries. */
export class FaultController {
  private readonly faults: ActiveFault[] = [];
  private nextId = 1;

  constructor(private readonly now: Now) {}

  /** Every matching call gets HTTP 429 `ratelimited` with `Retry-After: retryAfterSeconds` (default 1). */
  rateLimit(scope: FaultScope & { retryAfterSeconds?: number } = {}): Fault {
    return this.add("rate_limit", scope, { retryAfterSeconds: scope.retryAfterSeconds ?? 1 });
  }

  /** Every matching call gets an HTTP 5xx (default 500) instead of an answer. */
  serverError(scope: FaultScope & { status?: number } = {}): Fault {
    return this.add("server_error", scope, { status: scope.status ?? 500 });
  }

  /** Every matching call is answered `ms` later. */
  latency(scope: FaultScope & { ms: number }): Fault {
    return this.add("latency", scope, { latencyMs: scope.ms });
  }

  /** Matching event deliveries are never sent (`count` = calls). Optionally only some event types. */
  dropEvents(options: { count?: number; durationMs?: number; eventTypes?: string[] } = {}): Fault {
    return this.add(
      "drop_events",
      { calls: options.count, durationMs: options.durationMs },
      { eventTypes: options.eventTypes },
    );
  }

  /**
   * Matching event delivery attempts fail as if the app were unreachable (`count` = attempts), and
   * Slack retries them on its schedule. Optionally only some event types.
   */
  failEvents(options: { count?: number; durationMs?: number; eventTypes?: string[] } = {}): Fault {
    return this.add(
      "fail_events",
      { calls: options.count, durationMs: options.durationMs },
      { eventTypes: options.eventTypes },
    );
  }

  clear(): void {
    for (const fault of this.faults) fault.removed = true;
    this.faults.length = 0;
  }

  active(): Fault[] {
    return this.faults.filter((fault) => this.isLive(fault));
  }

  /** What the faults do to one Web API call (counting it as a hit). */
  forApiCall(method: string): ApiFaultEffects {
    const effects: ApiFaultEffects = {
      latencyMs: 0,
      rateLimitSeconds: undefined,
      serverErrorStatus: undefined,
    };
    for (const fault of this.matching(method)) {
      if (fault.kind === "latency") effects.latencyMs += fault.latencyMs;
      else if (fault.kind === "rate_limit" && effects.rateLimitSeconds === undefined) {
        effects.rateLimitSeconds = fault.retryAfterSeconds;
      } else if (fault.kind === "server_error" && effects.serverErrorStatus === undefined) {
        effects.serverErrorStatus = fault.status;
      } else continue;
      fault.hits += 1;
    }
    return effects;
  }

  /** True when an event delivery of this type should be dropped (counting it as a hit). */
  shouldDropEvent(eventType: string): boolean {
    return this.hitEventFault("drop_events", eventType);
  }

  /** True when an attempt to deliver an event of this type should fail (counting it as a hit). */
  shouldFailEventAttempt(eventType: string): boolean {
    return this.hitEventFault("fail_events", eventType);
  }

  private hitEventFault(kind: "drop_events" | "fail_events", eventType: string): boolean {
    const fault = this.faults.find(
      (candidate) =>
        candidate.kind === kind &&
        this.isLive(candidate) &&
        (!candidate.eventTypes || candidate.eventTypes.includes(eventType)),
    );
    if (!fault) return false;
    fault.hits += 1;
    return true;
  }

  private matching(method: string): ActiveFault[] {
    return this.faults.filter(
      (fault) =>
        fault.kind !== "drop_events" &&
        fault.kind !== "fail_events" &&
        this.isLive(fault) &&
        (!fault.scope.methods || fault.scope.methods.includes(method)),
    );
  }

  private isLive(fault: ActiveFault): boolean {
    if (fault.removed) return false;
    if (fault.scope.calls !== undefined && fault.hits >= fault.scope.calls) return false;
    if (fault.scope.durationMs !== undefined && this.now() - fault.addedAt >= fault.scope.durationMs)
      return false;
    return true;
  }

  private add(
    kind: FaultKind,
    scope: FaultScope,
    settings: Partial<Pick<ActiveFault, "retryAfterSeconds" | "status" | "latencyMs" | "eventTypes">>,
  ): Fault {
    const fault: ActiveFault = {
      id: this.nextId++,
      kind,
      hits: 0,
      scope,
      addedAt: this.now(),
      retryAfterSeconds: settings.retryAfterSeconds ?? 1,
      status: settings.status ?? 500,
      latencyMs: settings.latencyMs ?? 0,
      eventTypes: settings.eventTypes,
      removed: false,
      remove: () => {
        fault.removed = true;
        const index = this.faults.indexOf(fault);
        if (index !== -1) this.faults.splice(index, 1);
      },
    };
    this.faults.push(fault);
    return fault;
  }
}
