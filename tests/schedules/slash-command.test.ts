import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseScheduleCommand } from "../../src/schedules/command.js";
import { previewSchedule } from "../../src/schedules/preview.js";
import {
  issuePhrases,
  quotedCrons,
  rejectedPhrases,
  variantPhrases,
  zonedPhrases,
} from "./support/phrases.js";
import { type ScheduleStack, startScheduleStack } from "./support/schedule-stack.js";

/**
 * `/coworker schedule <when> <task>` through the Slack emulator and the real Bolt app, for every
 * phrase and cron expression the parser's unit tests accept or reject: what is created, in which
 * timezone, what the person is told, and that a refusal creates nothing.
 */
const now = Date.parse("2026-11-21T12:00:00Z");
const lanes = 6;

describe("/coworker schedule", () => {
  let stack: ScheduleStack;
  let channels: string[];

  beforeAll(async () => {
    stack = await startScheduleStack({ now: () => now });
    const { slack } = stack;
    channels = Array.from(
      { length: lanes },
      (_, index) =>
        slack.addChannel({
          name: `lane-${index}`,
          withBot: true,
          members: [slack.users.alice.id, slack.users.bob.id, slack.users.carol.id],
        }).id,
    );
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** Runs the commands in several channels at once; each answer is read in its own channel. */
  async function inLanes<T>(items: T[], each: (item: T, channel: string) => Promise<void>): Promise<void> {
    for (let start = 0; start < items.length; start += lanes) {
      const batch = items.slice(start, start + lanes);
      await Promise.all(batch.map((item, index) => each(item, channels[index]!)));
    }
  }

  async function storedFrom(answer: string) {
    const short = /id `([0-9a-f]{8})`/.exec(answer)?.[1];
    expect(short, answer).toBeDefined();
    return stack.database.schedule.findFirstOrThrow({ where: { id: { startsWith: short! } } });
  }

  it("creates a schedule from every phrase and cron, in the creator's Slack timezone, with cron, zone and the next three runs", {
    timeout: 120_000,
  }, async () => {
    const { slack, database } = stack;
    const accepted = [
      ...issuePhrases.map(([text, cron]) => [text, cron] as const),
      ...variantPhrases,
      ...quotedCrons,
    ];
    await inLanes(accepted, async ([text, cron], channel) => {
      const parsed = parseScheduleCommand(text);
      if (!parsed.ok) throw new Error(`the parser rejects ${text}`);
      const answer = await stack.command("bob", `schedule ${text}`, channel);
      expect(answer, text).toContain(":white_check_mark: Scheduled");
      expect(answer, text).toContain(`cron \`${parsed.cron}\``);
      expect(answer, text).toContain("*Timezone:* Europe/Berlin (your Slack timezone)");
      const preview = previewSchedule(parsed.cron, "Europe/Berlin", new Date(now));
      expect(preview.nextRuns).toHaveLength(3);
      for (const run of preview.nextRuns) expect(answer, text).toContain(`• ${run.text}`);
      const stored = await storedFrom(answer);
      expect(stored, text).toMatchObject({
        prompt: parsed.task,
        timezone: "Europe/Berlin",
        ownerId: slack.users.bob.id,
        channel,
        workspaceId: slack.teamId,
        overlapPolicy: "skip",
        missedPolicy: "skip",
        paused: false,
      });
      // The stored cron is the normalized one, equal to what the unit tests expect.
      expect(stored.cron.toUpperCase(), text).toBe(cron.toUpperCase());
      expect(stored.lastTickAt?.getTime()).toBe(now);
    });
    expect(await database.schedule.count()).toBe(accepted.length);
  });

  it("runs in each creator's own timezone, and an explicit `in <Zone>` overrides it", {
    timeout: 120_000,
  }, async () => {
    const alice = await stack.command("alice", "schedule every day at 9 water the ferns");
    expect(alice).toContain("America/New_York (your Slack timezone)");
    expect(alice).toContain("• Sun 22 Nov 2026, 09:00 (America/New_York)");
    expect((await storedFrom(alice)).timezone).toBe("America/New_York");
    const carol = await stack.command("carol", "schedule every day at 9 feed the fish");
    expect(carol).toContain("Asia/Tokyo (your Slack timezone)");
    expect((await storedFrom(carol)).timezone).toBe("Asia/Tokyo");

    // Every way of naming a zone, by someone whose own zone is another one.
    await inLanes(zonedPhrases, async ([text, cron, task], channel) => {
      const answer = await stack.command("carol", `schedule ${text}`, channel);
      expect(answer, text).toContain("*Timezone:* Europe/Warsaw (as you asked)");
      expect(answer, text).toContain(`cron \`${cron}\``);
      for (const run of previewSchedule(cron, "Europe/Warsaw", new Date(now)).nextRuns) {
        expect(answer, text).toContain(`• ${run.text}`);
      }
      expect(await storedFrom(answer), text).toMatchObject({ timezone: "Europe/Warsaw", cron, prompt: task });
    });
  });

  it("explains every unreadable or ambiguous input with examples, ephemerally, and creates nothing", {
    timeout: 120_000,
  }, async () => {
    const { slack, database } = stack;
    const before = await database.schedule.count();
    const posted = channels.map((channel) => slack.messages(channel).length);
    // An empty `/coworker schedule` opens the form instead (tests/schedules/manage.test.ts).
    const typed = rejectedPhrases.filter(([text]) => text.trim() !== "");
    expect(typed.length).toBe(rejectedPhrases.length - 1);
    await inLanes(typed, async ([text, reason], channel) => {
      const answer = await stack.command("bob", `schedule ${text}`, channel);
      expect(answer, text).toContain(":warning: I couldn't create that schedule.");
      expect(answer, text).toMatch(reason);
      expect(answer, text).toContain("Nothing was created.");
      const failure = parseScheduleCommand(text);
      if (failure.ok) throw new Error(`the parser accepts ${text}`);
      expect(answer, text).toContain("Examples that work:");
      for (const example of failure.examples) {
        expect(answer, text).toContain(`\`/coworker schedule ${example}\``);
      }
    });
    expect(await database.schedule.count()).toBe(before);
    // Only the person who typed it saw anything.
    expect(channels.map((channel) => slack.messages(channel).length)).toEqual(posted);
  });

  it("refuses a channel the bot is not in, creating nothing", async () => {
    const { slack, database } = stack;
    const before = await database.schedule.count();
    const answer = await stack.command(
      "alice",
      "schedule every day at 9 tidy up",
      slack.channels.withoutBot.id,
    );
    expect(answer).toContain("I'm not in that channel");
    expect(await database.schedule.count()).toBe(before);
  });
});
