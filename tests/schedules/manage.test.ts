import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCoworkerCommand } from "../support/slash-command.js";
import { manualClock } from "./support/clock.js";
import { eventually, scheduleMessages } from "./support/observe.js";
import { type ScheduleStack, startScheduleStack } from "./support/schedule-stack.js";

/**
 * Managing schedules through Slack: who may change one (its owner or a workspace admin, per
 * users.info), `schedule list`, `run`, the modal (create, field errors, edit from a run's header)
 * and App Home. alice is an admin; bob and carol are not.
 */
const clock = manualClock("2026-11-21T12:00:00Z");

describe("managing schedules", () => {
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

  it("lets only the owner or a workspace admin pause, resume, run or delete", async () => {
    const { database } = stack;
    const schedule = await bobsSchedule("summarize #support");
    const short = schedule.id.slice(0, 8);
    for (const action of ["pause", "resume", "run", "delete"]) {
      const answer = await stack.command("carol", `schedule ${action} ${short}`);
      expect(answer, action).toContain("Only the owner of *summarize #support*");
      expect(answer, action).toContain(`<@${stack.slack.users.bob.id}>`);
    }
    expect(await database.schedule.findUniqueOrThrow({ where: { id: schedule.id } })).toMatchObject({
      paused: false,
      deletedAt: null,
      version: schedule.version,
    });
    expect(await database.run.count({ where: { scheduleId: schedule.id } })).toBe(0);

    expect(await stack.command("alice", `schedule pause ${short}`)).toContain("Paused"); // an admin
    expect((await database.schedule.findUniqueOrThrow({ where: { id: schedule.id } })).paused).toBe(true);
    expect(await stack.command("bob", `schedule resume ${schedule.id}`)).toContain("Resumed"); // the owner, full id
    expect((await database.schedule.findUniqueOrThrow({ where: { id: schedule.id } })).paused).toBe(false);
  });

  it("says which schedule it could not find, or that a short id is ambiguous", async () => {
    const { database, slack } = stack;
    for (const suffix of ["1111", "2222"]) {
      await database.schedule.create({
        data: {
          id: `abcd${suffix}-0000-4000-8000-000000000000`,
          workspace: { connectOrCreate: { where: { id: slack.teamId }, create: { id: slack.teamId } } },
          channel: slack.channels.general.id,
          ownerId: slack.users.bob.id,
          name: `twin ${suffix}`,
          prompt: "twin",
          cron: "0 9 * * *",
          timezone: "UTC",
        },
      });
    }
    expect(await stack.command("bob", "schedule pause abcd")).toContain(
      "Several schedules start with `abcd`",
    );
    expect(await stack.command("bob", "schedule pause abcd1111")).toContain("Paused *twin 1111*");
    expect(await stack.command("bob", "schedule delete 0000ffff")).toContain(
      "No schedule has the id `0000ffff`",
    );
  });

  it("lists the person's and the channel's schedules, with Edit only where they may change them", async () => {
    const { slack } = stack;
    const schedule = await bobsSchedule("post the weekly wins");
    const listFor = async (user: string) => {
      const before = slack.ephemerals({ user }).length;
      await runCoworkerCommand(slack, user, "schedule list");
      const answer = await slack.waitFor(() => slack.ephemerals({ user }).slice(before)[0]);
      return (answer.blocks ?? []) as Array<{
        block_id?: string;
        text?: { text: string };
        accessory?: unknown;
      }>;
    };
    const forBob = (await listFor("bob")).find((block) => block.block_id === `schedule.${schedule.id}`);
    expect(forBob?.text?.text).toContain("*post the weekly wins*");
    expect(forBob?.text?.text).toContain("At 09:00, Monday through Friday (Europe/Berlin)");
    expect(forBob?.text?.text).toContain("next Mon 23 Nov 2026, 09:00 (Europe/Berlin)");
    expect(forBob?.accessory).toMatchObject({ action_id: "schedule.edit", value: schedule.id });
    const forCarol = (await listFor("carol")).find((block) => block.block_id === `schedule.${schedule.id}`);
    expect(forCarol?.text?.text).toContain("*post the weekly wins*"); // in this channel
    expect(forCarol?.accessory).toBeUndefined();
    const forAlice = (await listFor("alice")).find((block) => block.block_id === `schedule.${schedule.id}`);
    expect(forAlice?.accessory).toMatchObject({ action_id: "schedule.edit" });
  });

  it("runs a schedule now: a header in its channel and an ordinary run owned by the schedule's owner", async () => {
    const { slack, database } = stack;
    const schedule = await bobsSchedule("check the on-call rota");
    const answer = await stack.command("bob", `schedule run ${schedule.id.slice(0, 8)}`);
    expect(answer).toContain("Started *check the on-call rota*");
    const header = await eventually(() => scheduleMessages(slack, "general", schedule.id, "manual")[0]);
    expect(JSON.stringify(header.blocks)).toContain(`Run now by <@${slack.users.bob.id}>`);
    const run = await database.run.findFirstOrThrow({
      where: { scheduleId: schedule.id },
      include: { task: true },
    });
    expect(run).toMatchObject({
      requesterId: slack.users.bob.id,
      triggerTs: header.ts,
      prompt: "check the on-call rota",
    });
    expect(run.task.source).toBe("schedule");
    expect(await stack.services.queues.runs.getJob(`run-${run.id}-start`)).toBeDefined();
  });

  it("creates from the modal, with per-field errors for what is wrong", async () => {
    const { slack, database } = stack;
    const before = await database.schedule.count();
    await runCoworkerCommand(slack, "carol", "schedule");
    const modal = await slack.waitFor(() => slack.openModal("carol"));
    expect(modal.definition.callback_id).toBe("schedule.modal");
    expect(JSON.stringify(modal.definition)).toContain("Asia/Tokyo"); // her timezone, as the placeholder
    const values = {
      name: { value: { value: "Standup" } },
      when: { value: { value: "every 7 minutes" } },
      timezone: { value: { value: "Mars/Base" } },
      task: { value: { value: "collect the standup notes" } },
      channel: { value: slack.channels.general.id },
      overlap: { value: "queue" },
      missed: { value: "latest" },
      max_age: { value: { value: "30" } },
    };
    const refused = await slack.submitView({ user: "carol", values });
    expect(refused.responseAction).toBe("errors");
    expect(refused.errors?.when).toMatch(/7 minutes does not divide an hour evenly/);
    expect(refused.errors?.timezone).toMatch(/not a known timezone/);
    expect(await database.schedule.count()).toBe(before);

    const accepted = await slack.submitView({
      user: "carol",
      values: {
        ...values,
        when: { value: { value: "every weekday at 9:15" } },
        timezone: { value: { value: "" } },
      },
    });
    expect(accepted.errors).toBeUndefined();
    const created = await database.schedule.findFirstOrThrow({ where: { name: "Standup" } });
    expect(created).toMatchObject({
      cron: "15 9 * * 1-5",
      timezone: "Asia/Tokyo",
      prompt: "collect the standup notes",
      ownerId: slack.users.carol.id,
      overlapPolicy: "queue",
      missedPolicy: "latest",
      missedMaxAgeMinutes: 30,
    });
    const confirmation = await slack.waitFor(() =>
      slack.ephemerals({ user: "carol" }).find((message) => message.text.includes("Scheduled *Standup*")),
    );
    expect(confirmation.text).toContain("*Timezone:* Asia/Tokyo (your Slack timezone)");
    expect(confirmation.text).toContain("• Mon 23 Nov 2026, 09:15 (Asia/Tokyo)");
  });

  it("opens the edit modal from a run's header only for the owner or an admin", async () => {
    const { slack } = stack;
    const schedule = await bobsSchedule("review the roadmap");
    await stack.command("bob", `schedule run ${schedule.id.slice(0, 8)}`);
    const header = await eventually(() => scheduleMessages(slack, "general", schedule.id, "manual")[0]);
    const carolBefore = slack.ephemerals({ user: "carol" }).length;
    await slack.clickButton({
      user: "carol",
      channel: "general",
      messageTs: header.ts,
      actionId: "schedule.manage",
    });
    const refusal = await slack.waitFor(() => slack.ephemerals({ user: "carol" }).slice(carolBefore)[0]);
    expect(refusal.text).toContain("Only the owner of *review the roadmap*");
    expect(slack.openModal("carol")).toBeUndefined();
    await slack.clickButton({
      user: "bob",
      channel: "general",
      messageTs: header.ts,
      actionId: "schedule.manage",
    });
    const modal = await slack.waitFor(() => slack.openModal("bob"));
    expect(modal.definition.private_metadata).toContain(schedule.id);
    expect(JSON.stringify(modal.definition)).toContain("review the roadmap");
    await slack.closeView({ user: "bob" });
  });

  it("shows schedules in App Home: the person's own, or all of them for an admin", async () => {
    const { slack } = stack;
    await slack.openHome("carol");
    const carolHome = await slack.waitFor(() => slack.homeView("carol"));
    const carolText = JSON.stringify(carolHome.definition);
    expect(carolText).toContain("Your schedules");
    expect(carolText).toContain("Standup");
    expect(carolText).not.toContain("review the roadmap");
    await slack.openHome("alice");
    const aliceHome = await slack.waitFor(() => slack.homeView("alice"));
    const aliceText = JSON.stringify(aliceHome.definition);
    expect(aliceText).toContain("Schedules in this workspace");
    expect(aliceText).toContain("review the roadmap");
    expect(aliceText).toContain("Standup");
  });
});
