import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvalToken } from "../../src/harness/approvals.js";
import { deriveKey } from "../../src/security/signing.js";
import { type AppStack, startAppStack } from "../support/app-stack.js";
import {
  askForApproval,
  buttonValue,
  privateApproval,
  replayDelivery,
  reportFlow,
  requestOf,
  type ToolLog,
  testTools,
  transcript,
} from "./support/scenario.js";

/**
 * Approvals end to end: the real app (web and worker), the Slack emulator and a fake model that asks
 * for a risky `send_report`. Buttons are clicked as Slack sends clicks: signed block_actions payloads.
 */
describe("approvals", () => {
  let stack: AppStack;
  const log: ToolLog = { reports: [], lookups: [] };

  beforeAll(async () => {
    stack = await startAppStack({
      tools: testTools(log),
      reply: (body) => {
        const request = requestOf(body);
        const text = /friday/.test(request)
          ? "Friday numbers"
          : /monthly/.test(request)
            ? "Monthly"
            : /detailed/.test(request)
              ? `Detailed: ${"numbers ".repeat(120)}end of report`
              : "Weekly";
        return reportFlow(body, text);
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("shows the channel only that a decision is awaited, the decider privately what will happen, and continues once approved", async () => {
    const { slack, database } = stack;
    const { posted, message, run, approval } = await askForApproval(stack, "please send the weekly report");
    // The channel: the tool and who decides, none of the call's content.
    const shown = JSON.stringify(message);
    expect(shown).toContain("send_report");
    expect(shown).toContain(`waiting for <@${slack.users.alice.id}>`);
    expect(shown).not.toContain("Weekly");
    expect(shown).not.toContain("C0REPORTS");
    // The decider, privately: everything.
    const copy = await privateApproval(slack, "alice", approval.id);
    const told = JSON.stringify(copy.message.blocks);
    expect(told).toContain('Post the report \\"Weekly\\" in C0REPORTS');
    expect(told).toContain("*Target*");
    expect(told).toContain(`Can decide: <@${slack.users.alice.id}>`);
    expect(approval).toMatchObject({
      status: "pending",
      approvers: [slack.users.alice.id],
      messageTs: message.ts,
    });

    // Bob did not ask and is no configured approver: he is told so, privately, and nothing changes.
    await slack.clickButton({
      user: "bob",
      channel: "general",
      messageTs: message.ts,
      actionId: "approval.approve",
    });
    const refusal = await slack.waitFor(() => slack.ephemerals({ user: "bob" }).at(-1));
    expect(refusal.text).toContain(`Only <@${slack.users.alice.id}> can decide`);
    expect((await database.approval.findUniqueOrThrow({ where: { id: approval.id } })).status).toBe(
      "pending",
    );
    expect(log.reports).toHaveLength(0);

    const clicked = Date.now();
    await slack.clickButton({
      user: "alice",
      channel: "general",
      messageTs: message.ts,
      actionId: "approval.approve",
    });
    const answer = await slack.waitForMessage(
      { channel: "general", threadTs: posted.ts, contains: "Finished: Report posted in C0REPORTS." },
      15_000,
    );
    expect(Number(answer.ts) * 1000 - clicked).toBeLessThan(10_000);
    expect(log.reports).toEqual([{ channel: "C0REPORTS", text: "Weekly" }]);
    const decided = await database.approval.findUniqueOrThrow({ where: { id: approval.id } });
    expect(decided).toMatchObject({ status: "approved", decidedBy: slack.users.alice.id });
    await expect
      .poll(() => JSON.stringify(slack.message("general", message.ts)?.blocks))
      .toContain(`Approved by <@${slack.users.alice.id}>`);
    expect(JSON.stringify(slack.message("general", message.ts)?.blocks)).not.toContain("approval.approve");
    await expect
      .poll(async () => (await database.run.findUniqueOrThrow({ where: { id: run.id } })).status)
      .toBe("completed");
    expect(await stack.services.queues.runs.getJob(`run-${run.id}-approval-${approval.id}`)).toBeDefined();

    // The same click, replayed: refused as already decided; the tool ran once and the model was not asked again.
    const requests = stack.model.requests.length;
    const delivery = slack.deliveries
      .filter((item) => item.kind === "interactivity" && item.body.includes(slack.users.alice.id))
      .at(-1)!;
    expect(await replayDelivery(stack.running.webUrl!, slack.signingSecret, delivery)).toBe(200);
    const again = await slack.waitFor(() =>
      slack.ephemerals({ user: "alice" }).find((item) => item.text.includes("already approved")),
    );
    expect(again.text).toContain(`already approved by <@${slack.users.alice.id}>`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(log.reports).toHaveLength(1);
    expect(stack.model.requests.length).toBe(requests);
    expect(slack.thread("general", posted.ts).filter((item) => item.text.includes("Finished:"))).toHaveLength(
      1,
    );
  });

  it("asks for a reason when denying, and the model reads it", async () => {
    const { slack, database } = stack;
    const { posted, message, approval } = await askForApproval(stack, "send the friday report");
    const before = log.reports.length;
    await slack.clickButton({
      user: "alice",
      channel: "general",
      messageTs: message.ts,
      actionId: "approval.deny",
    });
    const modal = await slack.waitFor(() => slack.openModal("alice"));
    expect(modal.definition.callback_id).toBe("approval.deny");
    expect(JSON.stringify(modal.definition.blocks)).toContain("Friday numbers");
    await slack.submitView({
      user: "alice",
      values: { reason: { reason: "Not before the numbers are final" } },
    });

    const answer = await slack.waitForMessage(
      { channel: "general", threadTs: posted.ts, contains: "Finished:" },
      15_000,
    );
    expect(answer.text).toContain(
      'The user denied this action, so it was not done. Their reason: "Not before the numbers are final"',
    );
    expect(transcript(stack.model.requests.at(-1)!.body)).toContain("Not before the numbers are final");
    expect(log.reports).toHaveLength(before);
    expect(await database.approval.findUniqueOrThrow({ where: { id: approval.id } })).toMatchObject({
      status: "denied",
      decidedBy: slack.users.alice.id,
      reason: "Not before the numbers are final",
    });
    await expect
      .poll(() => JSON.stringify(slack.message("general", message.ts)?.blocks))
      .toContain(`Denied by <@${slack.users.alice.id}>`);
    expect(JSON.stringify(slack.message("general", message.ts)?.blocks)).toContain(
      "Not before the numbers are final",
    );
  });

  it("refuses a tampered or forged button, and still honours the genuine one", async () => {
    const { slack, database } = stack;
    const { posted, message, approval } = await askForApproval(stack, "send the monthly report");
    const genuine = JSON.parse(buttonValue(message, "approval.approve")) as {
      approvalId: string;
      token: string;
    };
    const other = await database.approval.findFirstOrThrow({ where: { id: { not: approval.id } } });
    const forged = [
      { approvalId: genuine.approvalId, token: `${genuine.token.slice(0, -2)}AA` },
      { approvalId: other.id, token: genuine.token },
      {
        approvalId: genuine.approvalId,
        token: approvalToken(deriveKey("another-secret-0123456789abcdef", "approvals"), approval),
      },
      { approvalId: genuine.approvalId },
    ];
    for (const [index, value] of forged.entries()) {
      await slack.clickButton({
        user: "alice",
        channel: "general",
        messageTs: message.ts,
        actionId: "approval.approve",
        value: JSON.stringify(value),
      });
      await slack.waitFor(
        () =>
          slack.ephemerals({ user: "alice" }).filter((item) => item.text.includes("doesn't match")).length >
          index,
      );
    }
    expect((await database.approval.findUniqueOrThrow({ where: { id: approval.id } })).status).toBe(
      "pending",
    );
    expect((await database.approval.findUniqueOrThrow({ where: { id: other.id } })).decidedBy).toBe(
      slack.users.alice.id,
    );
    const reports = log.reports.length;

    await slack.clickButton({
      user: "alice",
      channel: "general",
      messageTs: message.ts,
      actionId: "approval.approve",
    });
    await slack.waitForMessage({ channel: "general", threadTs: posted.ts, contains: "Finished:" }, 15_000);
    expect(log.reports.slice(reports)).toEqual([{ channel: "C0REPORTS", text: "Monthly" }]);
  });

  it("lets a configured approver decide, and shows the full arguments on request", async () => {
    const { slack, database } = stack;
    await database.workspace.update({
      where: { id: slack.teamId },
      data: { policy: { approvers: [slack.users.carol.id] } },
    });
    const { posted, message, approval } = await askForApproval(stack, "send the detailed report");
    const copy = await privateApproval(slack, "carol", approval.id);
    const argumentsBlock = (copy.message.blocks as Array<{ block_id?: string }>).find(
      (block) => block.block_id === "approval.arguments",
    );
    expect(JSON.stringify(argumentsBlock)).toContain("(shortened)");
    expect(JSON.stringify(argumentsBlock)).not.toContain("end of report");
    // Someone who may not decide cannot open the full arguments (the channel's message has no such button).
    expect(JSON.stringify(message.blocks)).not.toContain("approval.details");
    await slack.clickButton({
      user: "bob",
      channel: copy.channel,
      messageTs: copy.message.ts,
      actionId: "approval.details",
    });
    await slack.waitFor(() =>
      slack.ephemerals({ user: "bob" }).find((item) => item.text.includes("can decide")),
    );
    expect(slack.openModal("bob")).toBeUndefined();
    await slack.clickButton({
      user: "carol",
      channel: copy.channel,
      messageTs: copy.message.ts,
      actionId: "approval.details",
    });
    const details = await slack.waitFor(() => slack.openModal("carol"));
    expect(JSON.stringify(details.definition.blocks)).toContain("end of report");
    expect(JSON.stringify(details.definition.blocks)).toContain("C0REPORTS");
    await slack.closeView({ user: "carol" });
    await slack.clickButton({
      user: "carol",
      channel: "general",
      messageTs: message.ts,
      actionId: "approval.approve",
    });
    await slack.waitForMessage({ channel: "general", threadTs: posted.ts, contains: "Finished:" }, 15_000);
    await database.workspace.update({ where: { id: slack.teamId }, data: { policy: {} } });
  });
});
