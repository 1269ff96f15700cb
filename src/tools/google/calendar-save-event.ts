import { createHash } from "node:crypto";
import { z } from "zod";
import { classifyGoogleError } from "../../integrations/google/api-errors.js";
import type { GoogleIntegration } from "../../integrations/google/integration.js";
import { isValidTimezone } from "../../schedules/timezone.js";
import { defineGoogleTool } from "./google-tool.js";
import { describeEvent } from "./support/events.js";
import { address, calendarId, instant } from "./support/fields.js";

const input = z.object({
  eventId: z.string().optional().describe("To update an existing event: its id. Leave out to create one."),
  calendarId,
  summary: z.string().min(1).optional().describe("Title (required when creating)"),
  description: z.string().optional(),
  location: z.string().optional(),
  start: instant.optional().describe("Start (required when creating)"),
  end: instant.optional().describe("End (required when creating)"),
  timeZone: z.string().refine(isValidTimezone, "an IANA time zone").optional(),
  attendees: z.array(address).optional().describe("Guests' addresses (replaces the list when updating)"),
  sendUpdates: z
    .enum(["all", "externalOnly", "none"])
    .default("all")
    .describe("Whether Google emails the guests about it"),
});

type SaveInput = z.infer<typeof input>;

/**
 * Creates or updates an event. A new event's id is derived from the call's idempotency key (Calendar
 * lets clients choose ids), so creating it twice is impossible: a repeat gets 409 and finds the first.
 */
export function calendarSaveEventTool(google: GoogleIntegration) {
  return defineGoogleTool<SaveInput>(google, {
    name: "calendar_save_event",
    description:
      "Create an event in the requester's calendar (invitations go to attendees), or update one (eventId). The person is asked to approve first.",
    input,
    risk: "write",
    scopes: ["calendar.events"],
    summarize: (value) =>
      `${value.eventId ? `Update event ${value.eventId}` : `Create event "${value.summary}"`}` +
      `${value.start ? ` ${value.start} – ${value.end}` : ""}` +
      `${value.attendees?.length ? ` with ${value.attendees.join(", ")}` : ""}`,
    // Guests see the event's title, description and place.
    recipients: (value) => ({
      addresses: value.attendees ?? [],
      preview: [value.summary, value.description, value.location].filter(Boolean).join("\n"),
    }),
    async run(value, { apis, call }, context) {
      const body = {
        summary: value.summary,
        description: value.description,
        location: value.location,
        ...(value.start ? { start: { dateTime: value.start, timeZone: value.timeZone } } : {}),
        ...(value.end ? { end: { dateTime: value.end, timeZone: value.timeZone } } : {}),
        ...(value.attendees ? { attendees: value.attendees.map((email) => ({ email })) } : {}),
      };
      if (value.eventId) {
        const { data } = await call(() =>
          apis.calendar.events.patch(
            {
              calendarId: value.calendarId,
              eventId: value.eventId!,
              sendUpdates: value.sendUpdates,
              requestBody: body,
            },
            { signal: context.signal },
          ),
        );
        return { content: `Updated:\n${describeEvent(data)}` };
      }
      if (!value.summary || !value.start || !value.end) {
        return { content: "To create an event give summary, start and end.", isError: true };
      }
      if (Date.parse(value.end) <= Date.parse(value.start)) {
        return { content: "The end must be after the start.", isError: true };
      }
      const id = eventIdFor(context.idempotencyKey);
      try {
        const { data } = await call(
          () =>
            apis.calendar.events.insert(
              { calendarId: value.calendarId, sendUpdates: value.sendUpdates, requestBody: { ...body, id } },
              { signal: context.signal },
            ),
          { idempotent: true },
        );
        return { content: `Created:\n${describeEvent(data)}` };
      } catch (error) {
        if ((error as { response?: { status?: number } }).response?.status !== 409) throw error;
        const { data } = await call(() =>
          apis.calendar.events.get({ calendarId: value.calendarId, eventId: id }, { signal: context.signal }),
        );
        return { content: `Created:\n${describeEvent(data)}` };
      }
    },
    async reconcile(value, { apis, call }, context) {
      if (value.eventId) return undefined; // a patch is safe to apply again
      try {
        const { data } = await call(() =>
          apis.calendar.events.get(
            { calendarId: value.calendarId, eventId: eventIdFor(context.idempotencyKey) },
            { signal: context.signal },
          ),
        );
        return { content: `Created:\n${describeEvent(data)}` };
      } catch (error) {
        if (classifyGoogleError(error)?.kind === "not_found") return undefined;
        throw error;
      }
    },
  });
}

/** Calendar event ids: base32hex (0-9, a-v), 5 to 1024 characters. */
export function eventIdFor(idempotencyKey: string): string {
  const digest = createHash("sha256").update(idempotencyKey).digest();
  let bits = "";
  for (const byte of digest) bits += byte.toString(2).padStart(8, "0");
  let id = "co";
  for (let index = 0; index + 5 <= bits.length; index += 5) {
    id += "0123456789abcdefghijklmnopqrstuv"[Number.parseInt(bits.slice(index, index + 5), 2)];
  }
  return id;
}
