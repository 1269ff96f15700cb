import type { ChangeFeed } from "./change-feed.js";

/** A call the emulator answered on its Web API. */
export interface ApiCall {
  id: number;
  method: string;
  /** Arguments without the token. */
  args: Record<string, unknown>;
  teamId: string | undefined;
  httpStatus: number;
  response: Record<string, unknown>;
  at: number;
}

/** Something Slack would accept silently but that is probably a bug in the app. */
export interface Notice {
  code: "thread_ts_is_reply" | "thread_ts_not_found";
  method: string;
  detail: string;
  at: number;
}

export type DeliveryKind = "event" | "interactivity" | "command";

export type AttemptOutcome = "acked" | "http_timeout" | "http_error" | "connection_failed";

export interface DeliveryAttempt {
  /** 0 for the first try, then 1..3 as in `X-Slack-Retry-Num`. */
  retryNum: number;
  retryReason: string | undefined;
  startedAt: number;
  durationMs: number;
  outcome: AttemptOutcome;
  status: number | undefined;
  responseBody: string | undefined;
  headers: Record<string, string>;
}

/** One request the emulator sent (or meant to send) to the app, with every attempt. */
export interface Delivery {
  id: string;
  kind: DeliveryKind;
  teamId: string;
  url: string | undefined;
  /** Events: the event_id and event type. Interactivity: the payload type. Commands: the command. */
  eventId: string | undefined;
  type: string;
  contentType: string;
  body: string;
  payload: Record<string, unknown>;
  attempts: DeliveryAttempt[];
  status: "pending" | "acked" | "failed" | "dropped" | "undeliverable";
  /** Commands, actions and view submissions not acknowledged within the ack timeout. */
  ackTimedOut: boolean;
}

/** The record of what went over the wire both ways. */
export class ActivityLog {
  readonly apiCalls: ApiCall[] = [];
  readonly deliveries: Delivery[] = [];
  readonly notices: Notice[] = [];
  private nextCallId = 1;

  constructor(private readonly feed: ChangeFeed) {}

  recordCall(call: Omit<ApiCall, "id">): ApiCall {
    const recorded = { ...call, id: this.nextCallId++ };
    this.apiCalls.push(recorded);
    this.feed.emit({ type: "api_call", call: recorded });
    return recorded;
  }

  addDelivery(delivery: Delivery): Delivery {
    this.deliveries.push(delivery);
    this.feed.emit({ type: "delivery_updated", deliveryId: delivery.id });
    return delivery;
  }

  deliveryChanged(delivery: Delivery): void {
    this.feed.emit({ type: "delivery_updated", deliveryId: delivery.id });
  }

  notice(notice: Notice): void {
    this.notices.push(notice);
    this.feed.emit({ type: "notice", notice });
  }
}
