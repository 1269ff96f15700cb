import type { ServerResponse } from "node:http";
import { apiError, notFound, type Route, route, type StandInRequest, sendJson } from "./http.js";
import { authenticate } from "./oauth.js";
import type { CalendarEvent, StandInState } from "./state.js";

/**
 * Calendar API v3: events list/get/insert/patch on a calendar (the account's own, as "primary" or its
 * address) and freeBusy.query across accounts. Event ids the client chooses must be base32hex
 * (a-v, 0-9), 5 to 1024 characters; reusing one answers 409 duplicate.
 */
const readEvents = ["calendar.events.readonly", "calendar.events", "calendar.readonly", "calendar"];
const writeEvents = ["calendar.events", "calendar"];
const freeBusy = ["calendar.readonly", "calendar", "calendar.events.freebusy", "calendar.freebusy"];

export function calendarRoutes(state: StandInState): Route[] {
  const calendarOf = (request: StandInRequest, response: ServerResponse, scopes: string[]) => {
    const access = authenticate(state, request, response, scopes);
    if (!access) return undefined;
    const requested = decodeURIComponent(request.params[0] ?? "");
    const email = requested === "primary" ? access.grant.email : requested;
    if (email !== access.grant.email) {
      notFound(response, "Not Found");
      return undefined;
    }
    return state.accounts.get(email);
  };
  const events = "^/calendar/v3/calendars/([^/]+)/events";
  return [
    route("GET", new RegExp(`${events}$`), (request, response) => {
      const account = calendarOf(request, response, readEvents);
      if (!account) return;
      const query = request.url.searchParams;
      const timeMin = query.get("timeMin");
      const timeMax = query.get("timeMax");
      const text = query.get("q")?.toLowerCase();
      const found = account.events
        .filter((event) => event.status !== "cancelled")
        .filter((event) => !timeMax || start(event) < Date.parse(timeMax))
        .filter((event) => !timeMin || end(event) > Date.parse(timeMin))
        .filter((event) => !text || `${event.summary} ${event.description}`.toLowerCase().includes(text))
        .sort((a, b) => start(a) - start(b));
      const size = Math.min(Number(query.get("maxResults") ?? 250), 2500);
      const offset = Number(query.get("pageToken") ?? 0);
      sendJson(response, 200, {
        kind: "calendar#events",
        etag: '"p33c9vbt3ifdoi0o"',
        summary: account.email,
        updated: new Date(state.now()).toISOString(),
        timeZone: "UTC",
        accessRole: "owner",
        defaultReminders: [{ method: "popup", minutes: 10 }],
        ...(offset + size < found.length ? { nextPageToken: String(offset + size) } : {}),
        items: found.slice(offset, offset + size).map((event) => present(event, account.email)),
      });
    }),
    route("GET", new RegExp(`${events}/([^/]+)$`), (request, response) => {
      const account = calendarOf(request, response, readEvents);
      if (!account) return;
      const event = account.events.find((item) => item.id === request.params[1]);
      if (!event) return notFound(response, "Not Found");
      sendJson(response, 200, present(event, account.email));
    }),
    route("POST", new RegExp(`${events}$`), (request, response) => {
      const account = calendarOf(request, response, writeEvents);
      if (!account) return;
      const body = request.json<Partial<CalendarEvent>>();
      const id = body.id ?? state.nextId();
      if (!/^[a-v0-9]{5,1024}$/.test(id))
        return apiError(response, 400, "invalid", "Invalid resource id value.");
      if (account.events.some((item) => item.id === id)) {
        return apiError(response, 409, "duplicate", "The requested identifier already exists.");
      }
      if (!body.start || !body.end) return apiError(response, 400, "required", "Missing end time.");
      const now = new Date(state.now()).toISOString();
      const event: CalendarEvent = {
        ...body,
        id,
        calendarId: account.email,
        status: "confirmed",
        start: body.start,
        end: body.end,
        created: now,
        updated: now,
        sequence: 0,
        sendUpdates: request.url.searchParams.get("sendUpdates") ?? undefined,
      };
      account.events.push(event);
      sendJson(response, 200, present(event, account.email));
    }),
    route("PATCH", new RegExp(`${events}/([^/]+)$`), (request, response) => {
      const account = calendarOf(request, response, writeEvents);
      if (!account) return;
      const event = account.events.find((item) => item.id === request.params[1]);
      if (!event) return notFound(response, "Not Found");
      Object.assign(event, request.json<Partial<CalendarEvent>>(), {
        updated: new Date(state.now()).toISOString(),
        sequence: event.sequence + 1,
        sendUpdates: request.url.searchParams.get("sendUpdates") ?? undefined,
      });
      sendJson(response, 200, present(event, account.email));
    }),
    route("POST", /^\/calendar\/v3\/freeBusy$/, (request, response) => {
      const access = authenticate(state, request, response, freeBusy);
      if (!access) return;
      const body = request.json<{ timeMin: string; timeMax: string; items?: Array<{ id: string }> }>();
      const from = Date.parse(body.timeMin);
      const to = Date.parse(body.timeMax);
      const calendars: Record<string, unknown> = {};
      for (const { id } of body.items ?? []) {
        const email = id === "primary" ? access.grant.email : id;
        const account = state.accounts.get(email);
        calendars[id] = account
          ? {
              busy: account.events
                .filter((event) => event.status !== "cancelled" && event.transparency !== "transparent")
                .filter((event) => start(event) < to && end(event) > from)
                .sort((a, b) => start(a) - start(b))
                .map((event) => ({
                  start: new Date(Math.max(start(event), from)).toISOString(),
                  end: new Date(Math.min(end(event), to)).toISOString(),
                })),
            }
          : { errors: [{ domain: "global", reason: "notFound" }], busy: [] };
      }
      sendJson(response, 200, {
        kind: "calendar#freeBusy",
        timeMin: body.timeMin,
        timeMax: body.timeMax,
        calendars,
      });
    }),
  ];
}

function start(event: CalendarEvent): number {
  return Date.parse(event.start.dateTime ?? `${event.start.date}T00:00:00Z`);
}

function end(event: CalendarEvent): number {
  return Date.parse(event.end.dateTime ?? `${event.end.date}T00:00:00Z`);
}

function present(event: CalendarEvent, owner: string): Record<string, unknown> {
  const { calendarId: _calendar, sendUpdates: _updates, ...fields } = event;
  return {
    kind: "calendar#event",
    etag: `"${event.sequence}${event.updated.length}"`,
    htmlLink: `https://www.google.com/calendar/event?eid=${Buffer.from(event.id).toString("base64url")}`,
    creator: { email: owner, self: true },
    organizer: { email: owner, self: true },
    iCalUID: `${event.id}@google.com`,
    reminders: { useDefault: true },
    eventType: "default",
    ...fields,
  };
}
