import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SlackEmulator, startSlackEmulator } from "../../src/emulator/index.js";
import { CodedError } from "../../src/errors.js";
import { createLogger } from "../../src/logger.js";
import { explainFailure } from "../../src/runs/run-failure.js";
import { createSlackThread } from "../../src/slack/thread.js";
import type { Database } from "../../src/storage/database.js";
import { webClient } from "../emulator/clients.js";
import { testDatabase } from "../support/stack.js";

/**
 * The Slack run thread on its own (a real database and the emulator): a post interrupted by a crash
 * is found again instead of being sent twice (messages and attached files), and status updates are
 * coalesced with the last one always shown.
 */
describe("Slack run thread", () => {
  let slack: SlackEmulator;
  let database: Database;
  const logger = createLogger("silent");

  beforeAll(async () => {
    slack = await startSlackEmulator({ echoBotMessages: false });
    ({ database } = await testDatabase());
  });
  afterAll(async () => {
    await database?.$disconnect();
    await slack?.close();
  });

  async function newRun(text: string) {
    const posted = await slack.post({ user: "alice", channel: "general", text });
    const task = await database.task.create({
      data: {
        workspace: { connectOrCreate: { where: { id: slack.teamId }, create: { id: slack.teamId } } },
        channel: posted.channel,
        threadTs: posted.ts,
        requesterId: slack.users.alice.id,
        source: "mention",
      },
    });
    const run = await database.run.create({
      data: {
        taskId: task.id,
        workspaceId: slack.teamId,
        channel: posted.channel,
        triggerTs: posted.ts,
        requesterId: slack.users.alice.id,
        prompt: text,
      },
      include: { task: true },
    });
    return { posted, run };
  }

  /** What a crash right after Slack accepted a post, before the ledger recorded it, leaves behind. */
  async function forgetResult(key: string) {
    await database.toolCall.update({ where: { key }, data: { status: "intent" } });
  }

  it("posts a final answer once, even when the process died after posting it", async () => {
    const { posted, run } = await newRun("question one");
    const thread = () => createSlackThread({ database, client: webClient(slack), logger, run });
    const first = await thread().post(`${run.id}:final`, "final", "The **answer**.");
    await forgetResult(`${run.id}:final`);
    const again = await thread().post(`${run.id}:final`, "final", "The **answer**.");
    expect(again.ts).toBe(first.ts);
    expect(
      slack.thread(posted.channel, posted.ts).filter((message) => message.text.includes("answer")),
    ).toHaveLength(1);
    expect((await database.run.findUniqueOrThrow({ where: { id: run.id } })).finalMessageTs).toBe(first.ts);
    // The question and the answer are in the thread log, for a follow-up's context.
    const logged = await database.threadMessage.findMany({
      where: { threadTs: posted.ts },
      orderBy: { ts: "asc" },
    });
    expect(logged.map((message) => [message.userId, message.botId, message.text])).toEqual([
      [slack.users.alice.id, null, "question one"],
      [null, "self", "The **answer**."],
    ]);
  });

  it("attaches a very long answer once, even when the process died after uploading it", async () => {
    const { posted, run } = await newRun("question two");
    const long = Array.from({ length: 60 }, (_, index) => `Paragraph ${index}: ${"text ".repeat(150)}`).join(
      "\n\n",
    );
    const thread = () => createSlackThread({ database, client: webClient(slack), logger, run });
    await thread().post(`${run.id}:final`, "final", long);
    await forgetResult(`${run.id}:final:file`);
    await thread().post(`${run.id}:final`, "final", long);
    const files = slack.files().filter((file) => file.user === slack.botUserId);
    expect(files).toHaveLength(1);
    expect(files[0]!.content?.toString()).toBe(long);
    expect(
      slack.thread(posted.channel, posted.ts).filter((message) => message.fileIds.length > 0),
    ).toHaveLength(1);
  });

  it("coalesces working updates and always shows the last state", async () => {
    const { run } = await newRun("question three");
    const thread = createSlackThread({
      database,
      client: webClient(slack),
      logger,
      run,
      statusIntervalMs: 300,
    });
    const started = Date.now();
    for (let step = 0; step < 40; step += 1) {
      await thread.progress({
        phase: "working",
        step,
        activity: `Step ${step}`,
        elapsedMs: Date.now() - started,
      });
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await thread.progress({ phase: "done", step: 40, activity: "Done", elapsedMs: Date.now() - started });
    const statusTs = (await database.run.findUniqueOrThrow({ where: { id: run.id } })).statusMessageTs!;
    expect(slack.message("general", statusTs)?.text).toContain("Done");
    const edits = slack.callsTo("chat.update").filter((call) => call.args.ts === statusTs);
    expect(edits.length).toBeGreaterThan(0);
    expect(edits.length).toBeLessThan(10);
    expect(String(edits.at(-1)?.args.text)).toContain("Done");
  });

  it("explains failures in plain words", () => {
    expect(explainFailure(new Error("TypeError: x is undefined\n    at y (/app/z.ts:1:2)"))).toBe(
      "Something went wrong on my side and I couldn't finish this. Please try again; if it keeps happening, let whoever runs me know.",
    );
    expect(explainFailure(new CodedError("model_transient", "503 from upstream"))).toContain(
      "language model",
    );
  });
});
