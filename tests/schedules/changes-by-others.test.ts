import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCoworkerCommand } from "../support/slash-command.js";
import { manualClock } from "./support/clock.js";
import { eventually, scheduleMessages } from "./support/observe.js";
import { type ScheduleStack, startScheduleStack } from "./support/schedule-stack.js";

/**
 * A schedule runs with its owner's access, so an admin (alice) may pause, delete or retime bob's
 * schedule but not change what it does or where it posts, nor resume or run it; each change alice
 * makes is told to bob by DM, and her pause or edit holds the schedule until bob confirms.
 */
const clock = manualClock("2026-11-21T12:00:00Z");

describe("changes to a schedule by someone other than its owner", () => {
  let stack: ScheduleStack;

  beforeAll(async () => {
    stack = await startScheduleStack({ now: clock.now });
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function bobsSchedule(task: string) {
    expect(await stack.command("bob", `schedule every weekday at 9am ${task}`)).toContain("Scheduled");
    return stack.database.schedule.findFirstOrThrow({ where: { prompt: task } });
  }
  const bobsDms = () => stack.slack.messages(stack.slack.dmChannel("bob"));
  const row = (id: string) => stack.database.schedule.findUniqueOrThrow({ where: { id } });

  it("refuses `schedule run` by anyone but the owner: nothing posted, no run", async () => {
    const { slack, database } = stack;
    const schedule = await bobsSchedule("read #private-plans and post it");
    const short = schedule.id.slice(0, 8);
    const answer = await stack.command("alice", `schedule run ${short}`);
    expect(answer).toContain("Only the owner of *read #private-plans and post it*");
    expect(answer).toContain("can run it now");
    expect(await database.run.count({ where: { scheduleId: schedule.id } })).toBe(0);
    expect(scheduleMessages(slack, "general", schedule.id, "manual")).toEqual([]);
    expect(await stack.command("bob", `schedule run ${short}`)).toContain("Started");
    await eventually(() => database.run.count({ where: { scheduleId: schedule.id } }));
  });

  it("tells the owner of a pause by an admin, and only the owner resumes it", async () => {
    const schedule = await bobsSchedule("count the open incidents");
    const short = schedule.id.slice(0, 8);
    const before = bobsDms().length;
    expect(await stack.command("alice", `schedule pause ${short}`)).toContain("Paused");
    const notice = await eventually(() =>
      bobsDms()
        .slice(before)
        .find((message) => message.text.includes("count the open incidents")),
    );
    expect(notice.text).toContain(`<@${stack.slack.users.alice.id}> paused your schedule`);
    expect(JSON.stringify(notice.blocks)).toContain("schedule.confirm");
    expect(await stack.command("alice", `schedule resume ${short}`)).toContain("can resume it");
    expect((await row(schedule.id)).paused).toBe(true);
    expect(await stack.command("bob", `schedule resume ${short}`)).toContain("Resumed");
    expect((await row(schedule.id)).paused).toBe(false);
  });

  it("lets an admin retime but not re-purpose or move it; the edit waits for the owner's confirmation", async () => {
    const { slack } = stack;
    const schedule = await bobsSchedule("summarize the standup notes");
    const edit = async (values: { task?: string; channel?: string; when?: string }) => {
      await runCoworkerCommand(slack, "alice", "schedule list");
      const list = await slack.waitFor(() =>
        slack
          .ephemerals({ user: "alice" })
          .findLast((message) => JSON.stringify(message.blocks ?? []).includes(schedule.id)),
      );
      await slack.clickButton({
        user: "alice",
        channel: "general",
        messageTs: list.ts,
        actionId: "schedule.edit",
        blockId: `schedule.${schedule.id}`,
      });
      await slack.waitFor(() => slack.openModal("alice"));
      return slack.submitView({
        user: "alice",
        values: {
          name: { value: { value: "Standup digest" } },
          when: { value: { value: values.when ?? "every weekday at 9am" } },
          timezone: { value: { value: "" } },
          task: { value: { value: values.task ?? "summarize the standup notes" } },
          channel: { value: slack.channels[values.channel === "random" ? "random" : "general"].id },
          overlap: { value: "skip" },
          missed: { value: "skip" },
          max_age: { value: { value: "60" } },
        },
      });
    };

    const repurposed = await edit({ task: "read #private-plans and post it here" });
    expect(repurposed.responseAction).toBe("errors");
    expect(repurposed.errors?.task).toContain("Only the owner");
    await slack.closeView({ user: "alice" });
    const moved = await edit({ channel: "random" });
    expect(moved.errors?.channel).toContain("Only the owner");
    await slack.closeView({ user: "alice" });
    expect(await row(schedule.id)).toMatchObject({
      prompt: "summarize the standup notes",
      channel: slack.channels.general.id,
      version: schedule.version,
      paused: false,
    });

    // Saving the form as it was (the name is what the admin's form fills in) changes nothing.
    await stack.database.schedule.update({ where: { id: schedule.id }, data: { name: "Standup digest" } });
    const dmsBefore = bobsDms().length;
    const same = await edit({});
    expect(same.errors).toBeUndefined();
    const untouched = await row(schedule.id);
    expect(untouched.paused).toBe(false);
    expect(bobsDms()).toHaveLength(dmsBefore);

    const before = bobsDms().length;
    const retimed = await edit({ when: "every weekday at 10am" });
    expect(retimed.errors).toBeUndefined();
    const saved = await row(schedule.id);
    expect(saved).toMatchObject({ cron: "0 10 * * 1-5", paused: true });
    expect(saved.version).toBe(untouched.version + 1);
    const notice = await eventually(() =>
      bobsDms()
        .slice(before)
        .find((message) => message.text.includes("changed your schedule")),
    );
    expect(notice.text).toContain("At 09:00, Monday through Friday (Europe/Berlin) → At 10:00");
    expect(notice.text).toContain("paused until you confirm");

    // Alice pauses it again (a newer version): the first DM's button no longer confirms anything.
    await stack.command("bob", `schedule resume ${schedule.id.slice(0, 8)}`);
    await stack.command("alice", `schedule pause ${schedule.id.slice(0, 8)}`);
    const ephemerals = slack.ephemerals({ user: "bob" }).length;
    await slack.clickButton({
      user: "bob",
      channel: slack.dmChannel("bob").id,
      messageTs: notice.ts,
      actionId: "schedule.confirm",
    });
    const stale = await slack.waitFor(() => slack.ephemerals({ user: "bob" }).slice(ephemerals)[0]);
    expect(stale.text).toContain("changed again");
    expect((await row(schedule.id)).paused).toBe(true);

    // The latest DM's button does.
    const latest = bobsDms().at(-1)!;
    expect(latest.text).toContain("paused your schedule *Standup digest*");
    await slack.clickButton({
      user: "bob",
      channel: slack.dmChannel("bob").id,
      messageTs: latest.ts,
      actionId: "schedule.confirm",
    });
    await eventually(async () => !(await row(schedule.id)).paused);
  });

  it("tells the owner when an admin deletes their schedule", async () => {
    const schedule = await bobsSchedule("archive old threads");
    const before = bobsDms().length;
    expect(await stack.command("alice", `schedule delete ${schedule.id.slice(0, 8)}`)).toContain("Deleted");
    expect((await row(schedule.id)).deletedAt).not.toBeNull();
    const notice = await eventually(() =>
      bobsDms()
        .slice(before)
        .find((message) => message.text.includes("archive old threads")),
    );
    expect(notice.text).toContain(`<@${stack.slack.users.alice.id}> deleted your schedule`);
  });
});
