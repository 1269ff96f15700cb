import { setMaxListeners } from "node:events";
import type { Now } from "../clock.js";
import type { FaultController } from "../faults.js";
import type { IdSource } from "../ids.js";
import type { ActivityLog, Delivery, DeliveryAttempt, DeliveryKind } from "../state/activity-log.js";
import { signatureHeaders } from "./signing.js";
import { type AttemptResult, postToApp, waitUnlessAborted } from "./transport.js";

/** Where the app listens (Bolt's HTTPReceiver serves all three on `/slack/events`). */
export interface AppEndpoints {
  events: string | undefined;
  interactivity: string | undefined;
  commands: string | undefined;
}

export interface DelivererOptions {
  signingSecret: string;
  /** Events not answered 2xx within this are retried (Slack: 3 s). */
  eventTimeoutMs: number;
  /** Commands, actions and view submissions must be acked within this (Slack: 3 s). */
  ackTimeoutMs: number;
  /** Wait before retry 1, 2, 3 (Slack: about 0 s, 1 min, 5 min). */
  retryDelaysMs: number[];
  now: Now;
  ids: IdSource;
}

export interface EventSend {
  delivery: Delivery;
  /** Resolves when the first attempt is answered (or failed). */
  firstAttempt: Promise<Delivery>;
  /** Resolves when the delivery is acked or out of retries. */
  settled: Promise<Delivery>;
}

const userAgent = "Slackbot 1.0 (+https://api.slack.com/robots)";

/** Sends signed requests to the app with Slack's timeouts and retries, and records every attempt. */
export class Deliverer {
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly closing = new AbortController();

  constructor(
    private readonly options: DelivererOptions,
    private readonly endpoints: () => AppEndpoints,
    private readonly activity: ActivityLog,
    private readonly faults: FaultController,
  ) {
    // Every delivery in flight listens for the close: many at once is normal, not a leak.
    setMaxListeners(0, this.closing.signal);
  }

  sendEvent(teamId: string, envelope: Record<string, unknown>): EventSend {
    const event = envelope.event as { type: string };
    const body = JSON.stringify(envelope);
    const delivery = this.record({
      kind: "event",
      teamId,
      url: this.endpoints().events,
      eventId: envelope.event_id as string,
      type: event.type,
      contentType: "application/json",
      body,
      payload: envelope,
    });
    if (this.faults.shouldDropEvent(event.type)) {
      return this.finished(delivery, "dropped");
    }
    if (!delivery.url) return this.finished(delivery, "undeliverable");
    let markFirst: (value: Delivery) => void = () => {};
    const firstAttempt = new Promise<Delivery>((resolve) => {
      markFirst = resolve;
    });
    const settled = this.track(this.runEventAttempts(delivery, delivery.url, markFirst));
    return { delivery, firstAttempt, settled };
  }

  /** One attempt, no retries (Slack does not retry interactivity); records an ack timeout. */
  sendInteractive(
    teamId: string,
    kind: Exclude<DeliveryKind, "event">,
    type: string,
    body: string,
    payload: Record<string, unknown>,
  ): Promise<Delivery> {
    const endpoints = this.endpoints();
    const url = kind === "command" ? endpoints.commands : endpoints.interactivity;
    const delivery = this.record({
      kind,
      teamId,
      url,
      eventId: undefined,
      type,
      contentType: "application/x-www-form-urlencoded",
      body,
      payload,
    });
    if (!url) return this.finished(delivery, "undeliverable").settled;
    return this.track(
      (async () => {
        const attempt = await this.attempt(delivery, url, 0, undefined, this.options.ackTimeoutMs);
        delivery.ackTimedOut = attempt.outcome === "http_timeout";
        delivery.status = attempt.outcome === "acked" ? "acked" : "failed";
        this.activity.deliveryChanged(delivery);
        return delivery;
      })(),
    );
  }

  /** Resolves when nothing is in flight (retries included). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Aborts what is in flight and cancels pending retries. */
  async close(): Promise<void> {
    this.closing.abort(new Error("emulator closed"));
    await Promise.allSettled([...this.inFlight]);
  }

  private async runEventAttempts(
    delivery: Delivery,
    url: string,
    markFirst: (delivery: Delivery) => void,
  ): Promise<Delivery> {
    try {
      let result = await this.attempt(delivery, url, 0, undefined, this.options.eventTimeoutMs);
      markFirst(delivery);
      for (let retryNum = 1; result.outcome !== "acked" && !result.noRetry; retryNum += 1) {
        const delay = this.options.retryDelaysMs[retryNum - 1];
        if (delay === undefined) break;
        await waitUnlessAborted(delay, this.closing.signal);
        result = await this.attempt(delivery, url, retryNum, result.outcome, this.options.eventTimeoutMs);
      }
      delivery.status = result.outcome === "acked" ? "acked" : "failed";
    } catch {
      delivery.status = "failed";
    }
    markFirst(delivery);
    this.activity.deliveryChanged(delivery);
    return delivery;
  }

  private async attempt(
    delivery: Delivery,
    url: string,
    retryNum: number,
    retryReason: string | undefined,
    timeoutMs: number,
  ) {
    const headers: Record<string, string> = {
      "Content-Type": delivery.contentType,
      "User-Agent": userAgent,
      ...signatureHeaders(this.options.signingSecret, delivery.body, this.options.now()),
      ...(retryNum > 0
        ? { "X-Slack-Retry-Num": String(retryNum), "X-Slack-Retry-Reason": retryReason ?? "" }
        : {}),
    };
    const startedAt = this.options.now();
    const result =
      delivery.kind === "event" && this.faults.shouldFailEventAttempt(delivery.type)
        ? unreachable
        : await postToApp(url, { body: delivery.body, headers, timeoutMs, signal: this.closing.signal });
    const attempt: DeliveryAttempt = {
      retryNum,
      retryReason: retryNum > 0 ? retryReason : undefined,
      startedAt,
      durationMs: result.durationMs,
      outcome: result.outcome,
      status: result.status,
      responseBody: result.responseBody,
      headers,
    };
    delivery.attempts.push(attempt);
    this.activity.deliveryChanged(delivery);
    return result;
  }

  private record(fields: Omit<Delivery, "id" | "attempts" | "status" | "ackTimedOut">): Delivery {
    return this.activity.addDelivery({
      ...fields,
      id: this.options.ids.next("D_", 12),
      attempts: [],
      status: "pending",
      ackTimedOut: false,
    });
  }

  private finished(delivery: Delivery, status: Delivery["status"]): EventSend {
    delivery.status = status;
    this.activity.deliveryChanged(delivery);
    const done = Promise.resolve(delivery);
    return { delivery, firstAttempt: done, settled: done };
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    promise.finally(() => this.inFlight.delete(promise)).catch(() => {});
    return promise;
  }
}

/** An attempt failed by an injected fault, without contacting the app. */
const unreachable: AttemptResult = {
  outcome: "connection_failed",
  status: undefined,
  responseBody: undefined,
  durationMs: 0,
  noRetry: false,
};
