import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppStack, startAppStack } from "../support/app-stack.js";
import type { FakeAnswer, FakeRequestBody } from "../support/fake-model-server.js";
import { requestOf, type ToolLog, testTools, toolResults } from "./support/scenario.js";

/**
 * Progress and answers: status edits stay coalesced under a tight chat.update limit and the final
 * state still lands; long answers are split into messages, very long ones attached as a file.
 */
const lookups = 8;

function essay(parts: number): string {
  return Array.from(
    { length: parts },
    (_, index) => `## Part ${index}\n\n${`Sentence ${index} of a long answer. `.repeat(30).trim()}`,
  ).join("\n\n");
}

function reply(body: FakeRequestBody): FakeAnswer {
  const request = requestOf(body);
  if (/step by step/.test(request)) {
    const done = toolResults(body).length;
    if (done < lookups) {
      return { toolCalls: [{ name: "lookup", arguments: { query: `item ${done}` } }], delayMs: 150 };
    }
    return { text: `Looked up ${done} items.` };
  }
  if (/long essay/.test(request)) return { text: essay(45) };
  if (/medium essay/.test(request)) return { text: essay(20) };
  return { text: "ok" };
}

describe("progress and long answers", () => {
  let stack: AppStack;
  const log: ToolLog = { reports: [], lookups: [] };

  beforeAll(async () => {
    stack = await startAppStack({
      tools: testTools(log),
      reply,
      // One edit per 2.5 s in this workspace: most edits a run would like to make are over the limit.
      emulator: { rateLimits: { methods: { "chat.update": { limit: 1, windowMs: 2500 } } } },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("coalesces status edits under a tight rate limit and always shows the final state", async () => {
    const { slack, database } = stack;
    // Besides the tight limit (which a slow machine may never reach), the first two edits are refused
    // with 429 for certain: the client must wait, retry and still land the final state.
    const storm = slack.faults.rateLimit({ methods: ["chat.update"], calls: 2 });
    const posted = await slack.mention({ user: "alice", channel: "general", text: "go step by step" });
    await slack.waitForMessage(
      { channel: "general", threadTs: posted.ts, contains: "Looked up 8 items." },
      30_000,
    );
    const run = await database.run.findFirstOrThrow({ where: { triggerTs: posted.ts } });
    await expect
      .poll(() => slack.message("general", run.statusMessageTs ?? "")?.text, { timeout: 20_000 })
      .toContain("Done");
    expect(run.stepCount).toBe(2 * lookups + 1);
    const edits = slack.callsTo("chat.update").filter((call) => call.args.ts === run.statusMessageTs);
    // Rate limited at least once, retried after Retry-After, and far fewer edits than progress states.
    expect(storm.hits).toBe(2);
    expect(edits.some((call) => call.httpStatus === 429)).toBe(true);
    expect(edits.filter((call) => call.httpStatus === 200).length).toBeLessThan(lookups);
    const last = edits.filter((call) => call.httpStatus === 200).at(-1);
    expect(String(last?.args.text)).toContain("Done");
    expect(JSON.stringify(slack.message("general", run.statusMessageTs ?? "")?.blocks)).not.toContain(
      "run.stop",
    );
    expect(
      slack.thread("general", posted.ts).filter((message) => message.text.includes("Looked up")),
    ).toHaveLength(1);
  });

  it("splits a long answer into a few messages within Slack's limits", async () => {
    const { slack } = stack;
    const posted = await slack.mention({ user: "bob", channel: "general", text: "write a medium essay" });
    await slack.waitForMessage({ channel: "general", threadTs: posted.ts, contains: "Part 19" }, 20_000);
    const answers = slack
      .thread("general", posted.ts)
      .filter((message) => message.botId && JSON.stringify(message.blocks ?? []).includes('"markdown"'));
    expect(answers).toHaveLength(2);
    const shown = answers.map((message) => (message.blocks as Array<{ text: string }>)[0]!.text);
    for (const text of shown) expect(text.length).toBeLessThanOrEqual(12_000);
    expect(shown.join("\n\n")).toBe(essay(20));
    for (const message of answers) expect(message.text.length).toBeLessThanOrEqual(3000);
    expect(slack.files().filter((file) => file.user === slack.botUserId)).toHaveLength(0);
  });

  it("attaches a very long answer as a file, once, after a short preview", async () => {
    const { slack, database } = stack;
    const posted = await slack.mention({ user: "carol", channel: "general", text: "write a long essay" });
    const file = await slack.waitFor(
      () =>
        slack
          .files()
          .find((item) => item.user === slack.botUserId && item.name.startsWith("answer-") && item.completed),
      20_000,
    );
    expect(file.content?.toString()).toBe(essay(45));
    const thread = slack.thread("general", posted.ts);
    const previews = thread.filter((message) => JSON.stringify(message.blocks ?? []).includes("attached as"));
    expect(previews).toHaveLength(1);
    expect(JSON.stringify(previews[0]!.blocks)).toContain(file.name);
    expect(JSON.stringify(previews[0]!.blocks).length).toBeLessThan(4000);
    // The file is shared in the thread, after the preview.
    const shared = await slack.waitFor(() =>
      slack.thread("general", posted.ts).find((message) => message.fileIds.includes(file.id)),
    );
    expect(Number(shared.ts)).toBeGreaterThan(Number(previews[0]!.ts));
    const run = await database.run.findFirstOrThrow({ where: { triggerTs: posted.ts } });
    await expect
      .poll(async () => (await database.run.findUniqueOrThrow({ where: { id: run.id } })).finalMessageTs)
      .toBe(previews[0]!.ts);
    expect(slack.files().filter((item) => item.user === slack.botUserId)).toHaveLength(1);
  });
});
