import { expect } from "vitest";
import { z } from "zod";
import type { SlackEmulator } from "../../../src/emulator/index.js";
import { publicLabel } from "../../../src/harness/labels.js";
import { defineTool, type Tool } from "../../../src/tools/tool.js";
import type { AppStack } from "../../support/app-stack.js";
import type { FakeAnswer, FakeRequestBody } from "../../support/fake-model-server.js";
import { postSignedToApp } from "../../support/slack-request.js";

/**
 * What the Slack tests share: two tools (a risky `send_report` that needs approval, a read-only
 * `lookup`), a way to read the fake model's requests, and small waits on the emulator and the app.
 */
export interface ToolLog {
  reports: Array<{ channel: string; text: string }>;
  lookups: string[];
}

export function testTools(log: ToolLog): Tool[] {
  const sendReport = defineTool({
    name: "send_report",
    description: "Posts a report to a channel.",
    input: z.object({
      channel: z.string().describe("Channel id"),
      text: z.string().describe("The report"),
    }),
    risk: "write",
    timeoutMs: 5000,
    outputLimit: 2000,
    summarize: (input) => `Post the report "${input.text}" in ${input.channel}`,
    async execute(input) {
      log.reports.push(input);
      return { content: `Report posted in ${input.channel}.`, label: publicLabel };
    },
  });
  const lookup = defineTool({
    name: "lookup",
    description: "Looks something up.",
    input: z.object({ query: z.string().describe("What to look up") }),
    risk: "read",
    timeoutMs: 5000,
    outputLimit: 2000,
    async execute(input) {
      log.lookups.push(input.query);
      return { content: `Result for ${input.query}`, label: publicLabel };
    },
  });
  return [sendReport as Tool, lookup as Tool];
}

/** Everything the model was sent in one request, as one string. */
export function transcript(body: FakeRequestBody): string {
  return JSON.stringify(body.messages);
}

export function toolResults(body: FakeRequestBody): string[] {
  return body.messages.filter((message) => message.role === "tool").map((message) => String(message.content));
}

/** The person's request: the last user message before any tool call. */
export function requestOf(body: FakeRequestBody): string {
  const firstAssistant = body.messages.findIndex((message) => message.role === "assistant");
  const before = firstAssistant === -1 ? body.messages : body.messages.slice(0, firstAssistant);
  return String(before.filter((message) => message.role === "user").at(-1)?.content ?? "");
}

/** Asks for `send_report` once, then reports what the tool answered. */
export function reportFlow(body: FakeRequestBody, text = "Weekly numbers"): FakeAnswer {
  const results = toolResults(body);
  if (results.length === 0) {
    return { toolCalls: [{ name: "send_report", arguments: { channel: "C0REPORTS", text } }] };
  }
  return { text: `Finished: ${results.at(-1)}` };
}

/** The approval message of a thread, once it is there. */
export async function approvalMessage(slack: SlackEmulator, channel: string, threadTs: string) {
  return slack.waitForMessage({ channel, threadTs, from: "bot", contains: "approval.approve" }, 15_000);
}

/** The private copy of an approval request that a decider received by direct message. */
export async function privateApproval(
  slack: SlackEmulator,
  user: "alice" | "bob" | "carol",
  approvalId: string,
) {
  const channel = slack.dmChannel(user).id;
  const message = await slack.waitFor(() =>
    slack.messages(channel).find((candidate) => JSON.stringify(candidate.blocks ?? []).includes(approvalId)),
  );
  return { channel, message };
}

/**
 * Alice mentions the app in #general with `text`; resolves once the run waits on its approval, with
 * the mention, the approval message, the run and the approval.
 */
export async function askForApproval(stack: AppStack, text: string) {
  const { slack, database } = stack;
  const posted = await slack.mention({ user: "alice", channel: "general", text });
  const message = await approvalMessage(slack, posted.channel, posted.ts);
  const run = await database.run.findFirstOrThrow({ where: { triggerTs: posted.ts } });
  await expect
    .poll(async () => (await database.run.findUniqueOrThrow({ where: { id: run.id } })).status)
    .toBe("waiting_approval");
  const approval = await database.approval.findFirstOrThrow({ where: { runId: run.id } });
  return { posted, message, run, approval };
}

export function buttonValue(message: { blocks?: unknown[] }, actionId: string): string {
  const json = JSON.stringify(message.blocks ?? []);
  const blocks = JSON.parse(json) as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>;
  for (const block of blocks) {
    const element = block.elements?.find((candidate) => candidate.action_id === actionId);
    if (element?.value) return element.value;
  }
  throw new Error(`no button ${actionId}`);
}

/** Sends a request Slack already delivered once more, freshly signed (a replayed click). */
export async function replayDelivery(
  webUrl: string,
  signingSecret: string,
  delivery: { body: string; contentType: string },
): Promise<number> {
  const response = await postSignedToApp(webUrl, signingSecret, delivery.body, {
    "content-type": delivery.contentType,
  });
  await response.text();
  return response.status;
}
