import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppStack, startAppStack } from "../support/app-stack.js";
import { askForApproval, reportFlow, requestOf, type ToolLog, testTools } from "./support/scenario.js";

/** App Home: your recent tasks with their state, and approvals waiting for you, decided from there. */
describe("App Home", () => {
  let stack: AppStack;
  const log: ToolLog = { reports: [], lookups: [] };

  beforeAll(async () => {
    stack = await startAppStack({
      tools: testTools(log),
      reply: (body) => (requestOf(body).includes("report") ? reportFlow(body) : { text: "It is 4." }),
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function homeOf(user: "alice" | "bob", contains: string) {
    const { slack } = stack;
    const before = slack.homeView(user)?.updated ?? slack.homeView(user)?.created ?? 0;
    await slack.openHome(user);
    return slack.waitFor(() => {
      const view = slack.homeView(user);
      const text = JSON.stringify(view?.definition.blocks ?? []);
      return view && (view.updated ?? view.created) >= before && text.includes(contains) ? view : undefined;
    }, 10_000);
  }

  it("shows recent tasks with their state and the approvals waiting for you", async () => {
    const { slack } = stack;
    const question = await slack.mention({ user: "alice", channel: "general", text: "what is 2 + 2?" });
    await slack.waitForMessage({ channel: "general", threadTs: question.ts, contains: "It is 4." }, 15_000);
    await askForApproval(stack, "send the weekly report");

    const home = await homeOf("alice", "send the weekly report");
    const text = JSON.stringify(home.definition.blocks);
    expect(text).toContain("Waiting for your approval");
    expect(text).toContain("send_report");
    expect(text).toContain("approval.approve");
    expect(text).toContain("Your recent tasks");
    expect(text).toContain("what is 2 + 2?");
    expect(text).toContain("Done");
    expect(text).toContain("Waiting for approval");

    const bob = await homeOf("bob", "Nothing is waiting for you");
    expect(JSON.stringify(bob.definition.blocks)).toContain("No tasks yet");
    expect(JSON.stringify(bob.definition.blocks)).not.toContain("approval.approve");
  });

  it("approves from App Home, like in the thread", async () => {
    const { slack, database } = stack;
    const home = await homeOf("alice", "approval.approve");
    const approval = await database.approval.findFirstOrThrow({ where: { status: "pending" } });
    await slack.clickButton({
      user: "alice",
      viewId: home.id,
      actionId: "approval.approve",
      blockId: `approval.decision.${approval.id}`,
    });
    const run = await database.run.findUniqueOrThrow({
      where: { id: approval.runId },
      include: { task: true },
    });
    await slack.waitForMessage(
      { channel: "general", threadTs: run.task.threadTs, contains: "Finished: Report posted" },
      15_000,
    );
    expect(log.reports).toHaveLength(1);
    await expect
      .poll(() => JSON.stringify(slack.message("general", approval.messageTs ?? "")?.blocks))
      .toContain(`Approved by <@${slack.users.alice.id}>`);
    await slack.waitFor(() =>
      JSON.stringify(slack.homeView("alice")?.definition.blocks).includes("Nothing is waiting"),
    );
  });

  it("denies from App Home with a reason", async () => {
    const { slack, database } = stack;
    const { posted, run } = await askForApproval(stack, "send the monthly report");
    const home = await homeOf("alice", "approval.deny");
    const approval = await database.approval.findFirstOrThrow({ where: { runId: run.id } });
    await slack.clickButton({
      user: "alice",
      viewId: home.id,
      actionId: "approval.deny",
      blockId: `approval.decision.${approval.id}`,
    });
    await slack.waitFor(() => slack.openModal("alice"));
    await slack.submitView({ user: "alice", values: { reason: { reason: "Wrong month" } } });
    const answer = await slack.waitForMessage(
      { channel: "general", threadTs: posted.ts, contains: "Finished:" },
      15_000,
    );
    expect(answer.text).toContain('Their reason: "Wrong month"');
    expect(log.reports).toHaveLength(1);
    await slack.waitFor(() =>
      JSON.stringify(slack.homeView("alice")?.definition.blocks).includes("Nothing is waiting"),
    );
  });
});
