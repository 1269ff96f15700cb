import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runApprovalTimer, scheduleApprovalTimers } from "../../src/runs/approval-timers.js";
import { type AppStack, startAppStack } from "../support/app-stack.js";
import { askForApproval, reportFlow, type ToolLog, testTools } from "./support/scenario.js";

/**
 * A pending approval is durable: it survives every process of the app stopping and new ones
 * starting on the same Postgres and Redis, it is reminded of once, and it lapses only if policy says.
 */
describe("approval durability", () => {
  let stack: AppStack;
  const log: ToolLog = { reports: [], lookups: [] };

  beforeAll(async () => {
    stack = await startAppStack({ tools: testTools(log), reply: (body) => reportFlow(body) });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("is approved after every process restarted, and the run continues", async () => {
    const { slack } = stack;
    const { posted, message, run } = await askForApproval(stack, "send the report");
    const before = stack.services;
    await stack.restart();
    expect(stack.services).not.toBe(before);

    await slack.clickButton({
      user: "alice",
      channel: "general",
      messageTs: message.ts,
      actionId: "approval.approve",
    });
    await slack.waitForMessage(
      { channel: "general", threadTs: posted.ts, contains: "Finished: Report posted" },
      15_000,
    );
    expect(log.reports).toHaveLength(1);
    await expect
      .poll(async () => (await stack.database.run.findUniqueOrThrow({ where: { id: run.id } })).status)
      .toBe("completed");
    const status = slack.message("general", run.statusMessageTs ?? "");
    await expect.poll(() => slack.message("general", status?.ts ?? "")?.text).toContain("Done");
  });

  it("schedules a reminder and an expiry from policy, reminds once, and lapses as a denial", async () => {
    const { slack, database } = stack;
    await database.workspace.update({
      where: { id: slack.teamId },
      data: { policy: { approvals: { remindAfterMinutes: 30, expireAfterMinutes: 120 } } },
    });
    const { posted, approval } = await askForApproval(stack, "send the other report");

    await scheduleApprovalTimers(stack.services, approval.id);
    const remindJob = await stack.services.queues.runs.getJob(`approval-${approval.id}-remind`);
    const expireJob = await stack.services.queues.runs.getJob(`approval-${approval.id}-expire`);
    expect(remindJob?.data).toEqual({ approvalId: approval.id, kind: "remind" });
    expect(remindJob?.opts.delay).toBeGreaterThan(29 * 60_000);
    expect(remindJob?.opts.delay).toBeLessThanOrEqual(30 * 60_000);
    expect(expireJob?.opts.delay).toBeGreaterThan(119 * 60_000);
    await remindJob?.remove();
    await expireJob?.remove();

    expect(await runApprovalTimer(stack.services, { approvalId: approval.id, kind: "remind" })).toBe(
      "reminded",
    );
    const reminder = await slack.waitForMessage({
      channel: "general",
      threadTs: posted.ts,
      contains: ":bell:",
    });
    expect(reminder.text).toContain(`<@${slack.users.alice.id}>`);
    expect(reminder.text).toContain("still waiting for a decision");
    expect(await runApprovalTimer(stack.services, { approvalId: approval.id, kind: "remind" })).toBe(
      "skipped",
    );
    expect(slack.thread("general", posted.ts).filter((item) => item.text.includes(":bell:"))).toHaveLength(1);

    expect(await runApprovalTimer(stack.services, { approvalId: approval.id, kind: "expire" })).toBe(
      "expired",
    );
    const answer = await slack.waitForMessage(
      { channel: "general", threadTs: posted.ts, contains: "Finished:" },
      15_000,
    );
    expect(answer.text).toContain("the request lapsed");
    expect(log.reports).toHaveLength(1);
    const lapsed = await database.approval.findUniqueOrThrow({ where: { id: approval.id } });
    expect(lapsed).toMatchObject({ status: "denied", decidedBy: null });
    await expect
      .poll(() => JSON.stringify(slack.message("general", approval.messageTs ?? "")?.blocks))
      .toContain("Denied");
    expect(await runApprovalTimer(stack.services, { approvalId: approval.id, kind: "expire" })).toBe(
      "skipped",
    );
    await database.workspace.update({ where: { id: slack.teamId }, data: { policy: {} } });
  });
});
