import { createHash } from "node:crypto";
import type { Database, Prisma } from "../storage/database.js";
import { type Label, labelSchema } from "./labels.js";

/**
 * Large tool outputs are stored whole; the model sees a bounded preview (head and tail, the size and a
 * handle) and can read any range back with the `read_artifact` tool.
 *
 * An artifact's handle is a hash of its content, so the same output gives the same handle (and the
 * same prompt bytes) in every run. The row id is the handle scoped by run (`<runId>/<handle>`), so a
 * handle only ever resolves inside the run that stored it.
 */
export interface Preview {
  text: string;
  /** The handle the model reads the whole output with, when the output was clipped. */
  artifactId?: string;
}

/** Shares of the limit shown from the start and from the end of a clipped output. */
const headShare = 0.7;
const tailShare = 0.2;
/** Characters a read suggested by the preview asks for. */
export const suggestedReadLength = 4000;

export async function clipOutput(
  database: Database,
  runId: string,
  name: string,
  content: string,
  limit: number,
  label?: Label,
): Promise<Preview> {
  if (content.length <= limit) return { text: content };
  const handle = artifactHandle(content);
  const id = artifactRowId(runId, handle);
  await database.artifact.upsert({
    where: { id },
    create: {
      id,
      runId,
      name,
      content,
      size: content.length,
      mediaType: mediaTypeOf(content),
      ...(label ? { label: label as unknown as Prisma.InputJsonValue } : {}),
    },
    update: {},
  });
  return { text: previewText(content, limit, handle), artifactId: handle };
}

export function artifactHandle(content: string): string {
  return `art_${createHash("sha256").update(content).digest("hex").slice(0, 20)}`;
}

export function artifactRowId(runId: string, handle: string): string {
  return `${runId}/${handle}`;
}

/** The head and tail of `content`, cut at line breaks where one is near, around a note with the handle. */
export function previewText(content: string, limit: number, artifactId: string): string {
  const head = content.slice(0, headEnd(content, Math.floor(limit * headShare)));
  const tailStart = tailBegin(content, content.length - Math.floor(limit * tailShare), head.length);
  const tail = content.slice(tailStart);
  const hidden = tailStart - head.length;
  const read = JSON.stringify({ artifactId, offset: head.length, length: suggestedReadLength });
  const find = JSON.stringify({ artifactId, find: "some text" });
  return (
    `${head}\n[… characters ${head.length}–${tailStart} (${hidden} of ${content.length}) not shown. ` +
    `The whole output is artifact ${artifactId}: read any range with read_artifact ${read}, ` +
    `or jump to a match with read_artifact ${find} …]\n${tail}`
  );
}

/** The size of the whole output behind a tool result: the stored size when it was clipped, else its length. */
export function wholeSize(text: string): number {
  const notice = /\(\d+ of (\d+)\) not shown\. The whole output is artifact art_[0-9a-f]+/.exec(text);
  return notice ? Number(notice[1]) : text.length;
}

function headEnd(content: string, end: number): number {
  const lineBreak = content.lastIndexOf("\n", end - 1);
  return lineBreak >= end * 0.8 ? lineBreak + 1 : end;
}

function tailBegin(content: string, start: number, headLength: number): number {
  const from = Math.max(start, headLength);
  const lineBreak = content.indexOf("\n", from);
  const nearby = (content.length - from) * 0.2;
  return lineBreak !== -1 && lineBreak - from <= nearby ? lineBreak + 1 : from;
}

function mediaTypeOf(content: string): string {
  const start = content.trimStart().slice(0, 15).toLowerCase();
  if (start.startsWith("<!doctype html") || start.startsWith("<html")) return "text/html";
  if (start.startsWith("{") || start.startsWith("[")) {
    try {
      JSON.parse(content);
      return "application/json";
    } catch {
      // Not JSON after all.
    }
  }
  return "text/plain";
}

/** Where a stored output is: an artifact (a clipped output) or a tool call (its ledger row). */
export type OutputReference = { artifactId: string } | { toolCallId: string };

export interface StoredOutput {
  /** How to name it to the model, e.g. `artifact art_…` or `the output of fetch_url call call_1`. */
  label: string;
  content: string;
  /** Whether it came from outside (web pages, messages, files) and must be fenced as data. */
  untrusted: boolean;
  /** Its information-flow label as stored with it; undefined when none was (then the default applies). */
  flowLabel?: Label;
}

/**
 * Loads a whole stored output of run `runId`. Outputs of other runs are never returned: they are
 * reported as missing, the same as outputs that do not exist.
 */
export async function loadOutput(
  database: Database,
  runId: string,
  reference: OutputReference,
): Promise<StoredOutput | undefined> {
  if ("artifactId" in reference) {
    const handle = reference.artifactId;
    const artifact = await database.artifact.findFirst({
      where: { runId, id: { in: [artifactRowId(runId, handle), handle] } },
    });
    if (!artifact) return undefined;
    return {
      label: `artifact ${handle}`,
      content: artifact.content,
      untrusted: true,
      flowLabel: storedLabel(artifact.label),
    };
  }
  const call = await database.toolCall.findFirst({
    where: { runId, callId: reference.toolCallId },
    orderBy: { step: "desc" },
  });
  if (!call) return undefined;
  const label = `the output of ${call.tool} call ${call.callId}`;
  const result = (call.result ?? {}) as {
    content?: unknown;
    error?: unknown;
    untrusted?: unknown;
    note?: unknown;
    label?: unknown;
  };
  if (call.status === "failed") {
    return {
      label,
      content: `${call.tool} failed: ${String(result.error ?? "unknown error")}`,
      untrusted: false,
    };
  }
  if (call.status !== "done") {
    return { label, content: `(This call has no result: its status is "${call.status}".)`, untrusted: false };
  }
  if (typeof result.content === "string") {
    return {
      label,
      content: result.content,
      untrusted: result.untrusted !== false,
      flowLabel: storedLabel(result.label),
    };
  }
  return {
    label,
    content: typeof result.note === "string" ? result.note : JSON.stringify(result),
    untrusted: false,
  };
}

function storedLabel(value: unknown): Label | undefined {
  const parsed = labelSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
