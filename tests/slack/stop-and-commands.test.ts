import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shortId } from "../../src/runs/run-reference.js";
import { type AppStack, startAppStack } from "../support/app-stack.js";
import { runCoworkerCommand } from "../support/slash-command.js";
import { approvalMessage, reportFlow, requestOf, type ToolLog, testTools } from "./support/scenario.js";

/**
 * Stopping runs (the Stop button and `/coworker cancel`) and the slash command's subcommands, on the
 * real app with the Slack emulator. A "think hard" request keeps the model busy for 30 s, so a run is
 * stopped in the middle of a model call.
 */
describe("stop and slash commands", () => {
  let stack: AppStack;
  const log: ToolLog = { reports: [], lookups: [] };

  beforeAll(async () => {
    stack = await startAppStack({
      tools: testTools(log),
      reply: (body) => {
        const request = requestOf(body);
        if (request.includes("think hard")) return { text: "Here is what I thought.", delayMs: 30_000 };
        if (request.includes("report")) return reportFlow(body);
        return { text: "Sure." };
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function busyRun(user: "alice" | "bob" | "carol", text: string) {
    const { slack, database } = stack;
    const requests = stack.model.requests.length;
    const posted = await slack.mention({ user, channel: "general", text });
    const status = await slack.waitForMessage(
      { channel: "general", threadTs: posted.ts, from: "bot", contains: "run.stop" },
      10_000,
    );
    await slack.waitFor(() => stack.model.requests.length > requests);
    const run = await database.run.findFirstOrThrow({ where: { triggerTs: posted.ts } });
    return { posted, status, run };
  }

  async function statusOf(runId: string) {
    return (await stack.database.run.findUniqueOrThrow({ where: { id: runId } })).status;
  }

  it("stops a run in the middle of a model call within seconds, for the requester only", async () => {
    const { slack } = stack;
    const { posted, status, run } = await busyRun("bob", "think hard about our roadmap");
    await slack.clickButton({
      user: "carol",
      channel: "general",
      messageTs: status.ts,
      actionId: "run.stop",
    });
    const refusal = await slack.waitFor(() => slack.ephemerals({ user: "carol" }).at(-1));
    expect(refusal.text).toContain(`Only <@${slack.users.bob.id}> (who asked) or a workspace admin can stop`);
    expect(await statusOf(run.id)).toBe("running");

    const clicked = Date.now();
    await slack.clickButton({ user: "bob", channel: "general", messageTs: status.ts, actionId: "run.stop" });
    await expect.poll(() => statusOf(run.id), { timeout: 5000 }).toBe("cancelled");
    expect(Date.now() - clicked).toBeLessThan(5000);
    await slack.waitForMessage(
      { channel: "general", threadTs: posted.ts, contains: "Stopped as asked" },
      5000,
    );
    await expect.poll(() => slack.message("general", status.ts)?.text).toContain("Stopped");
    expect(JSON.stringify(slack.message("general", status.ts)?.blocks)).not.toContain("run.stop");
    expect(
      slack.thread("general", posted.ts).some((item) => item.text.includes("Here is what I thought")),
    ).toBe(false);
  });

  it("lets a workspace admin stop someone else's run", async () => {
    const { slack } = stack;
    const { status, run } = await busyRun("carol", "think hard about lunch");
    await slack.clickButton({
      user: "alice",
      channel: "general",
      messageTs: status.ts,
      actionId: "run.stop",
    });
    await expect.poll(() => statusOf(run.id), { timeout: 5000 }).toBe("cancelled");
  });

  it("answers help and unknown input privately", async () => {
    const { slack } = stack;
    await runCoworkerCommand(slack, "bob", "help");
    const help = await slack.waitFor(() =>
      slack.ephemerals({ user: "bob" }).find((item) => item.text.includes("How to work with me")),
    );
    expect(help.text).toContain("`/coworker status`");
    expect(help.text).toContain("`/coworker cancel <id>`");

    await runCoworkerCommand(slack, "bob", "frobnicate now");
    const usage = await slack.waitFor(() =>
      slack.ephemerals({ user: "bob" }).find((item) => item.text.includes("frobnicate")),
    );
    expect(usage.text).toContain("I don't know `frobnicate`");
    expect(usage.text).toContain("/coworker status");
    expect(slack.messages("general").some((item) => item.text.includes("frobnicate"))).toBe(false);
  });

  it("lists your running and waiting tasks, and cancels one by its id", async () => {
    const { slack, database } = stack;
    const carolSeen = slack.ephemerals({ user: "carol" }).length;
    await runCoworkerCommand(slack, "carol", "status");
    const none = await slack.waitFor(() => slack.ephemerals({ user: "carol" })[carolSeen]);
    expect(none.text).toContain("You have no running or waiting tasks");

    const posted = await slack.mention({ user: "carol", channel: "general", text: "send the report please" });
    const message = await approvalMessage(slack, posted.channel, posted.ts);
    const run = await database.run.findFirstOrThrow({ where: { triggerTs: posted.ts } });
    await expect.poll(() => statusOf(run.id)).toBe("waiting_approval");

    const seen = slack.ephemerals({ user: "carol" }).length;
    await runCoworkerCommand(slack, "carol", "status");
    const listing = await slack.waitFor(() => slack.ephemerals({ user: "carol" })[seen]);
    expect(listing.text).toContain("Your running and waiting tasks");
    expect(listing.text).toContain("send the report please");
    expect(listing.text).toContain("Waiting for approval");
    expect(listing.text).toContain(`\`${shortId(run.id)}\``);
    expect(listing.text).toMatch(/<http[^|>]+\|send the report please>/);

    // Bob may not cancel Carol's task; a missing or unknown id gets an explanation.
    const bobSeen = slack.ephemerals({ user: "bob" }).length;
    await runCoworkerCommand(slack, "bob", `cancel ${shortId(run.id)}`);
    await runCoworkerCommand(slack, "bob", "cancel");
    await runCoworkerCommand(slack, "bob", "cancel 0000ffff");
    const answers = await slack.waitFor(() => {
      const list = slack.ephemerals({ user: "bob" }).slice(bobSeen);
      return list.length >= 3 ? list.map((item) => item.text) : undefined;
    });
    expect(answers.join("\n")).toContain(`Only <@${slack.users.carol.id}> (who asked) or a workspace admin`);
    expect(answers.join("\n")).toContain("Which task?");
    expect(answers.join("\n")).toContain("I couldn't find a task with id `0000ffff`");
    expect(await statusOf(run.id)).toBe("waiting_approval");

    const before = slack.ephemerals({ user: "carol" }).length;
    await runCoworkerCommand(slack, "carol", `cancel ${shortId(run.id)}`);
    const stopping = await slack.waitFor(() => slack.ephemerals({ user: "carol" })[before]);
    expect(stopping.text).toContain("Stopping");
    await expect.poll(() => statusOf(run.id), { timeout: 5000 }).toBe("cancelled");
    await slack.waitForMessage(
      { channel: "general", threadTs: posted.ts, contains: "Stopped as asked" },
      5000,
    );
    // The approval can no longer be given: its message says so and has no buttons.
    const closed = await database.approval.findFirstOrThrow({ where: { runId: run.id } });
    expect(closed).toMatchObject({ status: "denied", reason: "The task was stopped." });
    await expect
      .poll(() => JSON.stringify(slack.message("general", message.ts)?.blocks))
      .toContain("The task was stopped.");
    expect(JSON.stringify(slack.message("general", message.ts)?.blocks)).not.toContain("approval.approve");
    expect(log.reports).toHaveLength(0);
  });
});
