import { z } from "zod";
import type { GoogleIntegration } from "../../integrations/google/integration.js";
import { isValidTimezone } from "../../schedules/timezone.js";
import { defineGoogleTool } from "./google-tool.js";
import { address, instant } from "./support/fields.js";
import { freeSlots, type Interval, workingWindows } from "./support/free-time.js";

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM, 24-hour");

const input = z.object({
  attendees: z
    .array(address)
    .max(49)
    .default([])
    .describe("Other people's addresses; the requester's own calendar is always included"),
  timeMin: instant.describe("Start of the range to search"),
  timeMax: instant.describe("End of the range to search"),
  durationMinutes: z
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .describe("How long the meeting is"),
  workingHours: z
    .object({
      start: time.describe("e.g. 09:00"),
      end: time.describe("e.g. 17:00"),
      timeZone: z.string().refine(isValidTimezone, "an IANA time zone, e.g. Europe/Berlin"),
      weekdaysOnly: z.boolean().default(true),
    })
    .optional()
    .describe("Only suggest times inside these hours"),
  maxSlots: z.number().int().min(1).max(50).default(10),
});

export function calendarFindFreeTimeTool(google: GoogleIntegration) {
  return defineGoogleTool(google, {
    name: "calendar_find_free_time",
    description:
      "Find times when the requester and the given attendees are all free (Google Calendar free/busy), optionally within working hours.",
    input,
    risk: "read",
    scopes: ["calendar.events.freebusy"],
    summarize: (value) =>
      `Finding ${value.durationMinutes} free minutes with ${value.attendees.join(", ") || "nobody else"}`,
    async run(value, { apis, call }, context) {
      const ids = ["primary", ...value.attendees.map((item) => (/<([^>]+)>/.exec(item)?.[1] ?? item).trim())];
      const { data } = await call(() =>
        apis.calendar.freebusy.query(
          {
            requestBody: {
              timeMin: value.timeMin,
              timeMax: value.timeMax,
              items: ids.map((id) => ({ id })),
            },
          },
          { signal: context.signal },
        ),
      );
      const busy: Interval[] = [];
      const unseen: string[] = [];
      for (const id of ids) {
        const entry = data.calendars?.[id];
        if (!entry || entry.errors?.length) {
          unseen.push(
            `${id === "primary" ? "your calendar" : id} (${entry?.errors?.map((error) => error.reason).join(", ") ?? "no answer"})`,
          );
          continue;
        }
        for (const period of entry.busy ?? []) {
          busy.push({ start: Date.parse(period.start ?? ""), end: Date.parse(period.end ?? "") });
        }
      }
      const range = { start: Date.parse(value.timeMin), end: Date.parse(value.timeMax) };
      const windows = value.workingHours ? workingWindows(range, value.workingHours) : undefined;
      const slots = freeSlots(range, busy, windows, value.durationMinutes * 60_000).slice(0, value.maxSlots);
      const lines = slots.map(
        (slot) => `- ${new Date(slot.start).toISOString()} – ${new Date(slot.end).toISOString()}`,
      );
      const caveat = unseen.length
        ? `\nCould not see the free/busy of: ${unseen.join("; ")}. Treat those as unknown.`
        : "";
      return {
        content:
          (slots.length
            ? `Free for at least ${value.durationMinutes} minutes (UTC):\n${lines.join("\n")}`
            : `No common free time of ${value.durationMinutes} minutes in that range.`) + caveat,
      };
    },
  });
}
