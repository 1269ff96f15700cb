import { wholeSize } from "./artifacts.js";
import type { StoredMessage } from "./state.js";

/**
 * Deterministic compaction of older turns (no model call: no tokens spent, no randomness, the same
 * transcript always gives the same summary). The summary keeps what the model cannot do without:
 * its latest plan, every instruction the person gave during the task (the latest always whole), the
 * errors it ran into (so it does not repeat them), and one line per tool call with the call id, so
 * any output can be reloaded with `read_artifact`. The task's opening messages are never summarized.
 */

/** Separates a masked output's placeholder note from the start of the output it replaced (context.ts). */
export const placeholderExcerpt = " It began:]\n";

/** The opening of the task: everything before the first model turn (system prompt, context, request). */
export function openingLength(messages: StoredMessage[]): number {
  const first = messages.findIndex((message) => message.role === "assistant");
  return first === -1 ? messages.length : first;
}

/**
 * Where the kept turns begin: the oldest turn start after `from` such that the messages from there on
 * take at most `tailTokens` (by `sizes`, indexed like `messages`). The latest turn is always kept, so
 * a pair of tool call and tool result is never split. Undefined when there is nothing to summarize.
 */
export function summaryBoundary(
  messages: StoredMessage[],
  sizes: number[],
  from: number,
  tailTokens: number,
): number | undefined {
  let tail = 0;
  let boundary: number | undefined;
  for (let index = messages.length - 1; index > from; index--) {
    tail += sizes[index] ?? 0;
    if (messages[index]!.role !== "assistant") continue;
    if (boundary !== undefined && tail > tailTokens) break;
    boundary = index;
  }
  return boundary;
}

const planCharacters = 2000;
const instructionCharacters = 2000;
const errorCharacters = 400;
const argumentCharacters = 100;
const excerptCharacters = 80;
/** Tool call lines kept at the start and at the end of the list for as long as possible. */
const firstCallsKept = 10;
const latestCallsKept = 10;

/** The summary of `messages[opening, through)`, at most about `limit` characters. */
export function renderSummary(
  messages: StoredMessage[],
  opening: number,
  through: number,
  limit: number,
): string {
  const range = messages.slice(opening, through);
  const calls = new Map<string, string>();
  for (const message of range) {
    if (message.role !== "assistant") continue;
    for (const call of message.toolCalls ?? []) calls.set(call.id, call.arguments);
  }
  const turns = range.filter((message) => message.role === "assistant").length;
  const tools = range.filter((message) => message.role === "tool");
  const header =
    `[Summary of the first ${turns} turns of this task (${tools.length} tool calls), written by the harness ` +
    'to save space. Every tool output is kept: reload one with read_artifact {"toolCallId":"<call id>"}.]';
  const plan = latestPlan(range);
  const instructions = range
    .filter((message) => message.role === "user")
    .map((message) => `- ${clip(message.content, instructionCharacters)}`);
  const errors = tools
    .filter((message) => message.isError)
    .map(
      (message) =>
        `- ${message.toolCallId} ${message.name} ${clip(calls.get(message.toolCallId) ?? "", argumentCharacters)}: ` +
        clip(message.content, errorCharacters),
    );
  const results = tools.filter((message) => !message.isError).map((message) => toolLine(message, calls));
  return fitToLimit(limit, { header, plan, instructions, errors, results });
}

interface Sections {
  header: string;
  plan: string | undefined;
  instructions: string[];
  errors: string[];
  results: string[];
}

/**
 * Drops lines until the summary fits, in this order: the oldest instructions while they take more
 * than a third of the budget; tool call lines from the middle (the first calls of a task often set it
 * up, the latest are what it is doing now), down to the first and latest few; the oldest errors; the
 * oldest instructions; the remaining call lines. The plan and the latest instruction always stay.
 */
function fitToLimit(limit: number, sections: Sections): string {
  const omitted = { results: 0, errors: 0, instructions: 0 };
  const text = () => render(sections, omitted);
  const over = () => text().length > limit;
  const dropInstruction = () => {
    sections.instructions.shift();
    omitted.instructions += 1;
  };
  const dropResult = () => {
    sections.results.splice(Math.min(firstCallsKept, sections.results.length - 1), 1);
    omitted.results += 1;
  };
  const instructionsLength = () => sections.instructions.join("\n").length;
  while (over() && sections.instructions.length > 1 && instructionsLength() > limit / 3) dropInstruction();
  while (over() && sections.results.length > firstCallsKept + latestCallsKept) dropResult();
  while (over() && sections.errors.length > 1) {
    sections.errors.shift();
    omitted.errors += 1;
  }
  while (over() && sections.instructions.length > 1) dropInstruction();
  while (over() && sections.results.length > 0) dropResult();
  return text();
}

function render(sections: Sections, omitted: { results: number; errors: number; instructions: number }) {
  const parts = [sections.header];
  if (sections.plan) parts.push(`Your latest plan, as you wrote it:\n${sections.plan}`);
  if (sections.instructions.length > 0) {
    parts.push(
      "Messages you received during the task (oldest first; the person's latest instruction is in force):\n" +
        omittedLine(omitted.instructions, "earlier message") +
        sections.instructions.join("\n"),
    );
  }
  if (sections.errors.length > 0 || omitted.errors > 0) {
    parts.push(
      "Calls that failed (do not repeat them unchanged):\n" +
        omittedLine(omitted.errors, "earlier failure") +
        sections.errors.join("\n"),
    );
  }
  if (sections.results.length > 0 || omitted.results > 0) {
    const first = sections.results.slice(0, firstCallsKept);
    const rest = sections.results.slice(firstCallsKept);
    const gap = omittedLine(omitted.results, "more call").trimEnd();
    parts.push(
      "Tool calls, oldest first (call id, tool, arguments → size of the output):\n" +
        [...first, ...(gap ? [gap] : []), ...rest].join("\n"),
    );
  }
  return parts.join("\n\n");
}

function omittedLine(count: number, what: string): string {
  return count > 0 ? `- (${count} ${what}${count === 1 ? "" : "s"} not listed)\n` : "";
}

type ToolMessage = Extract<StoredMessage, { role: "tool" }>;

function toolLine(message: ToolMessage, calls: Map<string, string>): string {
  const line =
    `- ${message.toolCallId} ${message.name} ${clip(calls.get(message.toolCallId) ?? "", argumentCharacters)} ` +
    `→ ${message.maskedSize ?? wholeSize(message.content)} chars`;
  const start = originalStart(message);
  // Outside content is not quoted outside its fence: only our own tools' outputs get an excerpt.
  if (start.startsWith("<untrusted_data")) return `${line}, outside content`;
  return `${line}: "${clip(start.replace(/\s+/g, " ").trim(), excerptCharacters)}"`;
}

/** The output as it began: the content, or for a masked output the part its placeholder kept. */
function originalStart(message: ToolMessage): string {
  if (message.maskedSize === undefined) return message.content;
  const marker = message.content.indexOf(placeholderExcerpt);
  return marker === -1 ? "" : message.content.slice(marker + placeholderExcerpt.length);
}

/** The latest assistant text that reads like a plan (a "plan" line or a numbered list), else the latest text. */
function latestPlan(range: StoredMessage[]): string | undefined {
  const texts = range
    .filter((message) => message.role === "assistant" && message.content.trim() !== "")
    .map((message) => message.content.trim());
  const plan = texts.findLast((text) => /(^|\n)\s*(plan\b|\d+[.)]\s)/i.test(text)) ?? texts.at(-1);
  return plan === undefined ? undefined : clip(plan, planCharacters);
}

function clip(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}
