import { SpanKind } from "@opentelemetry/api";
import type { App, ReceiverEvent } from "@slack/bolt";
import { inSpan } from "../observability/tracing.js";
import type { Services } from "../services.js";

/**
 * One span per request Slack delivers (an event, a button click, a slash command), so a run's trace
 * starts where the person acted: the span is active while listeners run, and BullMQ's telemetry hook
 * carries it into the enqueued job (the worker's spans descend from it).
 */
export function traceSlackEvents(app: App, services: Pick<Services, "tracing" | "redact">): void {
  const process = app.processEvent.bind(app);
  app.processEvent = (event: ReceiverEvent) => {
    const body = event.body as {
      type?: string;
      team_id?: string;
      event?: { type?: string; channel?: string };
      command?: string;
    };
    const kind = body.event?.type ?? body.command ?? body.type ?? "unknown";
    const attributes = {
      "slack.request.type": body.type ?? "command",
      "slack.event.type": kind,
      ...(body.team_id ? { "coworker.workspace.id": body.team_id } : {}),
      ...(body.event?.channel ? { "slack.channel.id": body.event.channel } : {}),
    };
    return inSpan(
      services.tracing.tracer,
      `slack ${kind}`,
      attributes,
      services.redact,
      () => process(event),
      SpanKind.SERVER,
    );
  };
}
