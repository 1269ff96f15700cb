import type { calendar_v3 } from "googleapis/build/src/apis/calendar/v3.js";

/** A calendar event in one line a model (and a person) can read. */
export function describeEvent(event: calendar_v3.Schema$Event): string {
  const when = event.start?.dateTime
    ? `${event.start.dateTime} – ${event.end?.dateTime ?? "?"}`
    : `${event.start?.date ?? "?"} (all day${event.end?.date ? ` until ${event.end.date}` : ""})`;
  const attendees = (event.attendees ?? [])
    .map((attendee) => `${attendee.email}${attendee.responseStatus ? ` (${attendee.responseStatus})` : ""}`)
    .join(", ");
  return [
    `- ${when} | ${event.summary ?? "(no title)"}`,
    event.location ? ` | at ${event.location}` : "",
    attendees ? ` | with ${attendees}` : "",
    ` | id ${event.id}`,
    event.status === "tentative" ? " [tentative]" : "",
  ].join("");
}
