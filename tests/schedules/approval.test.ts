import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uuidFromKey } from "../../src/schedules/ids.js";
import { createScheduleTool } from "../../src/tools/schedules/create-schedule.js";
import type { Tool } from "../../src/tools/tool.js";
import { manualClock } from "./support/clock.js";
import { eventually, ticksOf } from "./support/observe.js";
import { type ScheduleStack, startScheduleStack } from "./support/schedule-stack.js";

/**
 * A scheduled run is an ordinary run: when its model asks for a write (here the coworker's own
 * create_schedule tool), the approval is asked of the schedule's owner in the run's thread, the run
 * parks holding no worker, and it completes after the owner approves with the real Approve button
 * (src/slack/actions/approval-buttons.ts).
 */
const clock = manualClock("2026-11-23T07:00:00Z");

describe("a scheduled run that needs approval", () => {
  let stack: ScheduleStack;

  beforeAll(async () => {
    stack = await startScheduleStack({
      now: clock.now,
      reply: (body) =>
        body.messages.some((message) => message.role === "tool")
          ? { text: "Created the weekly wins schedule." }
          : {
              toolCalls: [
                {
                  name: "create_schedule",
                  arguments: {
                    when: "every friday at 16:00",
                    task: "post the weekly wins",
                    name: "Weekly wins",
                  },
                },
              ],
            },
    });
    await stack.startRunWorker([createScheduleTool() as Tool]);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("parks on the owner's approval and completes after it", { timeout: 60_000 }, async () => {
    const { slack, database } = stack;
    expect(
      await stack.command("bob", "schedule every day at 9 set up a schedule for the weekly wins"),
    ).toContain("Scheduled");
    const schedule = await database.schedule.findFirstOrThrow({ where: { ownerId: slack.users.bob.id } });
    const scheduler = await stack.startScheduler({ reconcileEvery: "0 0 0 1 1 *" });
    clock.set("2026-11-23T08:00:02Z");
    await scheduler.reconcile();

    const tick = await eventually(async () => {
      const [first] = await ticksOf(database, schedule.id);
      return first?.runId ? first : undefined;
    });
    const run = await eventually(async () => {
      const row = await database.run.findUnique({ where: { id: tick.runId! }, include: { task: true } });
      return row?.status === "waiting_approval" ? row : undefined;
    }, 20_000);
    const approval = await database.approval.findFirstOrThrow({ where: { runId: run.id } });
    expect(approval).toMatchObject({ tool: "create_schedule", status: "pending", channel: schedule.channel });
    expect(approval.approvers).toContain(slack.users.bob.id);
    const request = await slack.waitForMessage({
      channel: "general",
      threadTs: run.task.threadTs,
      contains: "waiting for",
    });
    // Nothing was created while it waits.
    expect(await database.schedule.count({ where: { name: "Weekly wins" } })).toBe(0);

    await slack.clickButton({
      user: "bob",
      channel: "general",
      messageTs: request.ts,
      actionId: "approval.approve",
    });
    await slack.waitForMessage(
      { channel: "general", threadTs: run.task.threadTs, contains: "Created the weekly wins schedule." },
      20_000,
    );
    await eventually(
      async () => (await database.run.findUnique({ where: { id: run.id } }))?.status === "completed",
    );
    expect(await database.approval.findUniqueOrThrow({ where: { id: approval.id } })).toMatchObject({
      status: "approved",
      decidedBy: slack.users.bob.id,
    });

    // The tool ran once, on the owner's behalf, in the owner's timezone.
    const created = await database.schedule.findMany({ where: { name: "Weekly wins" } });
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      cron: "0 16 * * 5",
      timezone: "Europe/Berlin",
      ownerId: slack.users.bob.id,
      channel: schedule.channel,
      prompt: "post the weekly wins",
    });
    const call = await database.toolCall.findFirstOrThrow({
      where: { runId: run.id, tool: "create_schedule" },
    });
    expect(created[0]!.id).toBe(uuidFromKey(call.key));
    await scheduler.close();
  });
});
