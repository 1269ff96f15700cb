/**
 * The model writes Markdown. Slack's `markdown` block renders standard Markdown (at most 12,000
 * characters per message), so an answer goes out as one markdown block per message, split on
 * paragraph (then line, then word) boundaries with code fences closed and reopened across the cut.
 * Each message's `text` (notifications, search, old clients) is the same content in Slack's mrkdwn,
 * clipped. An answer that would take more than a few messages is sent as a short preview with the
 * whole answer attached as a Markdown file.
 */
import { markdownToMrkdwn } from "./mrkdwn.js";

export { markdownToMrkdwn };

export const markdownBlockLimit = 12_000;
const partLimit = 11_000;
/** More parts than this and the answer goes out as a file. */
export const maxAnswerMessages = 3;
const previewLimit = 2_500;
const fallbackLimit = 3_000;

export interface MessagePart {
  text: string;
  blocks: unknown[];
  /** The Markdown this part shows. */
  markdown: string;
}

export type AnswerPlan =
  | { type: "messages"; parts: MessagePart[] }
  | { type: "file"; preview: MessagePart; file: { name: string; title: string; content: string } };

export function formatAnswer(markdown: string): MessagePart[] {
  return splitMarkdown(markdown, partLimit).map(messagePart);
}

export function planAnswer(markdown: string, fileName: string): AnswerPlan {
  const parts = formatAnswer(markdown);
  if (parts.length <= maxAnswerMessages) return { type: "messages", parts };
  const head = splitMarkdown(markdown, previewLimit)[0] ?? "";
  const note = `_This answer is long (${markdown.length.toLocaleString("en-US")} characters), so the whole of it is attached as \`${fileName}\`._`;
  return {
    type: "file",
    preview: messagePart(`${head}\n\n…\n\n${note}`),
    file: { name: fileName, title: "Full answer", content: markdown },
  };
}

function messagePart(markdown: string): MessagePart {
  return {
    text: clip(markdownToMrkdwn(markdown), fallbackLimit),
    blocks: [{ type: "markdown", text: markdown }],
    markdown,
  };
}

const fence = /^\s{0,3}(`{3,}|~{3,})(.*)$/;

/**
 * Splits at blank lines, then lines, then spaces, then anywhere, so that every part is at most
 * `limit` characters; a code block cut in two is closed at the end of one part and reopened (with
 * its language) at the start of the next.
 */
export function splitMarkdown(markdown: string, limit: number): string[] {
  const text = markdown.trimEnd(); // not /\s+$/: that regex is quadratic on long runs of spaces
  if (text.length <= limit) return [text];
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const room = limit - 8; // space to close a fence
    const cut = cutPoint(rest, room);
    let part = rest.slice(0, cut).trimEnd();
    rest = rest.slice(cut).replace(/^\n+/, "");
    const open = openFence(part);
    // Reopening must leave progress (a fence line as long as the part would loop forever) and
    // room to close the fence within the limit.
    if (open && open.marker.length < 8 && open.line.length <= room / 4) {
      part += `\n${open.marker}`;
      rest = `${open.line}\n${rest}`;
    }
    parts.push(part);
  }
  if (rest.trim().length > 0) parts.push(rest);
  return parts;
}

function cutPoint(text: string, room: number): number {
  const window = text.slice(0, room);
  const half = room / 2;
  for (const separator of ["\n\n", "\n", " "]) {
    const at = window.lastIndexOf(separator);
    if (at >= half) return at + (separator === " " ? 1 : 0);
  }
  // No boundary: cut anywhere, but never between the two halves of a surrogate pair.
  const code = text.charCodeAt(room - 1);
  return code >= 0xd800 && code <= 0xdbff ? room - 1 : room;
}

/** The code fence left open at the end of `text`, if any. */
function openFence(text: string): { marker: string; line: string } | undefined {
  let open: { marker: string; line: string } | undefined;
  for (const line of text.split("\n")) {
    const match = fence.exec(line);
    if (!match) continue;
    const marker = match[1]!;
    if (!open) open = { marker, line: line.trimStart() };
    else if (marker[0] === open.marker[0] && marker.length >= open.marker.length && match[2]!.trim() === "")
      open = undefined;
  }
  return open;
}

/** Failures are told in plain words: stack frames and error-class noise never reach the thread. */
export function withoutStackTrace(text: string): string {
  return text
    .split("\n")
    .filter((line) => !/^\s*at\s+\S.*(:\d+:\d+\)?|\(native\)|<anonymous>)\s*$/.test(line))
    .join("\n")
    .trim();
}

function clip(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}
