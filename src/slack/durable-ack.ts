import type { App, ReceiverEvent } from "@slack/bolt";

/**
 * Bolt acknowledges Events API requests before any listener runs; a process that dies right after
 * would lose the event, since Slack does not resend what was acknowledged. Here an event is
 * acknowledged only after the listeners have persisted and enqueued it (they are fast: a few
 * database writes). If they fail, nothing is acknowledged and Slack delivers the event again, which
 * the intake recognizes by its event id (app.ts's error handler rethrows, so a failed listener
 * rejects `processEvent`). Interactivity and commands keep Bolt's behaviour: their
 * handlers call ack() themselves, first.
 */
export function acknowledgeEventsAfterPersisting(app: App): void {
  const process = app.processEvent.bind(app);
  app.processEvent = async (event: ReceiverEvent) => {
    const body = event.body as { type?: string } | undefined;
    if (body?.type !== "event_callback") return process(event);
    // Bolt's automatic ack is held; a listener error rejects here and the request is not acknowledged.
    await process({ ...event, ack: async () => undefined });
    await event.ack();
  };
}
