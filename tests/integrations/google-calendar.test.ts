import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventIdFor } from "../../src/tools/google/calendar-save-event.js";
import { connectGoogle, runTool, toolContext, toolNamed } from "./support/google.js";
import { type IntegrationStack, startIntegrationStack } from "./support/stack.js";

/** The Calendar tools on the real googleapis client against the Google stand-in. */
describe("Calendar tools", () => {
  let stack: IntegrationStack;
  let alice: string;
  const email = "alice@example.com";
  const day = "2025-03-04";
  const at = (time: string) => `${day}T${time}:00Z`;

  beforeAll(async () => {
    stack = await startIntegrationStack();
    alice = stack.slack.users.alice.id;
    await connectGoogle(stack, alice, email, ["calendar"]);
    stack.google.addEvent(email, {
      summary: "Standup",
      start: { dateTime: at("09:00") },
      end: { dateTime: at("09:30") },
    });
    stack.google.addEvent(email, {
      summary: "Design review",
      location: "Room 4",
      start: { dateTime: at("13:00") },
      end: { dateTime: at("14:00") },
      attendees: [{ email: "bob@example.com", responseStatus: "accepted" }],
    });
    stack.google.addEvent(email, {
      summary: "Focus",
      start: { dateTime: at("15:00") },
      end: { dateTime: at("16:00") },
      transparency: "transparent",
    });
    stack.google.addEvent("bob@example.com", {
      summary: "Bob 1:1",
      start: { dateTime: at("10:00") },
      end: { dateTime: at("11:30") },
    });
    stack.google.addEvent("bob@example.com", {
      summary: "Bob lunch",
      start: { dateTime: at("12:00") },
      end: { dateTime: at("13:00") },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("lists events in a range, in order, across pages", async () => {
    for (let index = 0; index < 260; index += 1) {
      stack.google.addEvent(email, {
        summary: `Slot ${index}`,
        start: { dateTime: new Date(Date.UTC(2025, 5, 1) + index * 3_600_000).toISOString() },
        end: { dateTime: new Date(Date.UTC(2025, 5, 1) + index * 3_600_000 + 1_800_000).toISOString() },
      });
    }
    const busyDay = await runTool(
      stack,
      "calendar_list_events",
      { timeMin: at("00:00"), timeMax: at("23:59") },
      toolContext(stack, alice),
    );
    expect(busyDay.content).toMatch(/^3 event\(s\)/);
    expect(busyDay.content.indexOf("Standup")).toBeLessThan(busyDay.content.indexOf("Design review"));
    expect(busyDay.content).toContain("at Room 4 | with bob@example.com (accepted)");

    const start = stack.google.requests.length;
    const many = await runTool(
      stack,
      "calendar_list_events",
      { timeMin: "2025-06-01T00:00:00Z", timeMax: "2025-07-01T00:00:00Z", maxResults: 300 },
      toolContext(stack, alice),
    );
    expect(many.content).toMatch(/^260 event\(s\)/);
    const pages = stack.google.requests.slice(start).filter((request) => request.path.endsWith("/events"));
    expect(pages.map((request) => request.query.get("pageToken"))).toEqual([null, "250"]);
    expect(pages[0]!.query.get("singleEvents")).toBe("true");
  });

  it("finds common free time, within working hours, and says whose calendar it could not see", async () => {
    const result = await runTool(
      stack,
      "calendar_find_free_time",
      {
        attendees: ["bob@example.com", "stranger@elsewhere.example"],
        timeMin: at("08:00"),
        timeMax: at("18:00"),
        durationMinutes: 30,
        workingHours: { start: "09:00", end: "17:00", timeZone: "UTC" },
      },
      toolContext(stack, alice),
    );
    // Busy: 09:00-09:30 (alice), 10:00-11:30 and 12:00-13:00 (bob), 13:00-14:00 (alice); "Focus" is transparent.
    expect(result.content).toContain(
      [
        "- 2025-03-04T09:30:00.000Z – 2025-03-04T10:00:00.000Z",
        "- 2025-03-04T11:30:00.000Z – 2025-03-04T12:00:00.000Z",
        "- 2025-03-04T14:00:00.000Z – 2025-03-04T17:00:00.000Z",
      ].join("\n"),
    );
    expect(result.content).not.toContain("08:00:00");
    expect(result.content).toContain("Could not see the free/busy of: stranger@elsewhere.example (notFound)");
  });

  it("creates an event once, even when the same call runs twice, and reconciles it", async () => {
    const context = toolContext(stack, alice);
    const input = {
      summary: "Offsite planning",
      start: "2025-03-05T10:00:00+01:00",
      end: "2025-03-05T11:00:00+01:00",
      timeZone: "Europe/Berlin",
      attendees: ["bob@example.com"],
    };
    const first = await runTool(stack, "calendar_save_event", input, context);
    const again = await runTool(stack, "calendar_save_event", input, context);
    expect(first.content).toContain("Created:");
    expect(again.content).toBe(first.content);
    const created = stack.google
      .account(email)
      .events.filter((event) => event.summary === "Offsite planning");
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ id: eventIdFor(context.idempotencyKey), sendUpdates: "all" });
    const tool = toolNamed(stack, "calendar_save_event");
    expect((await tool.reconcile!(tool.input.parse(input), context))?.content).toContain(created[0]!.id);
    expect(await tool.reconcile!(tool.input.parse(input), toolContext(stack, alice))).toBeUndefined();
  });

  it("updates an event and refuses a create without times", async () => {
    const event = stack.google.account(email).events.find((item) => item.summary === "Standup")!;
    const updated = await runTool(
      stack,
      "calendar_save_event",
      { eventId: event.id, summary: "Daily standup", sendUpdates: "none" },
      toolContext(stack, alice),
    );
    expect(updated.content).toContain("Daily standup");
    expect(event).toMatchObject({ summary: "Daily standup", sequence: 1, sendUpdates: "none" });
    const refused = await runTool(
      stack,
      "calendar_save_event",
      { summary: "No time" },
      toolContext(stack, alice),
    );
    expect(refused).toMatchObject({
      isError: true,
      content: "To create an event give summary, start and end.",
    });
  });

  it("validates inputs before calling Google", () => {
    const tool = toolNamed(stack, "calendar_find_free_time");
    const parsed = tool.input.safeParse({ timeMin: "tomorrow", timeMax: at("10:00"), durationMinutes: 30 });
    expect(parsed.success).toBe(false);
  });
});
