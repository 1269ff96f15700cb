import type { calendar_v3 } from "googleapis/build/src/apis/calendar/v3.js";
import { z } from "zod";
import type { GoogleIntegration } from "../../integrations/google/integration.js";
import { defineGoogleTool } from "./google-tool.js";
import { describeEvent } from "./support/events.js";
import { calendarId, instant } from "./support/fields.js";

const input = z.object({
  timeMin: instant.describe("Start of the range (RFC 3339 with offset)"),
  timeMax: instant.describe("End of the range (RFC 3339 with offset)"),
  calendarId,
  query: z.string().optional().describe("Only events whose text matches these words"),
  maxResults: z.number().int().min(1).max(1000).default(100),
});

export function calendarListEventsTool(google: GoogleIntegration) {
  return defineGoogleTool(google, {
    name: "calendar_list_events",
    description:
      "List the requester's calendar events in a time range (recurring events expanded), in start order.",
    input,
    risk: "read",
    scopes: ["calendar.events.readonly"],
    summarize: (value) => `Reading the calendar from ${value.timeMin} to ${value.timeMax}`,
    async run(value, { apis, call }, context) {
      const events: calendar_v3.Schema$Event[] = [];
      let pageToken: string | undefined;
      let timeZone: string | undefined;
      do {
        const { data } = await call(() =>
          apis.calendar.events.list(
            {
              calendarId: value.calendarId,
              timeMin: value.timeMin,
              timeMax: value.timeMax,
              singleEvents: true,
              orderBy: "startTime",
              q: value.query,
              maxResults: Math.min(250, value.maxResults - events.length),
              pageToken,
            },
            { signal: context.signal },
          ),
        );
        timeZone ??= data.timeZone ?? undefined;
        events.push(...(data.items ?? []));
        pageToken = data.nextPageToken ?? undefined;
      } while (pageToken && events.length < value.maxResults);
      if (events.length === 0) return { content: `No events between ${value.timeMin} and ${value.timeMax}.` };
      const more = pageToken ? " (more exist: narrow the range or raise maxResults)" : "";
      return {
        content: `${events.length} event(s)${timeZone ? ` (calendar time zone ${timeZone})` : ""}${more}:\n${events.map(describeEvent).join("\n")}`,
        untrusted: true,
      };
    },
  });
}
