import type { JsonObject, MessageMetadata } from "../state/types.js";
import type { MethodArguments } from "./arguments.js";
import { validateBlocks } from "./blocks.js";
import { SlackMethodError } from "./method-error.js";

export const maxTextLength = 40_000;
export const maxMarkdownLength = 12_000;

export interface MessageContent {
  text: string;
  blocks: JsonObject[] | undefined;
  attachments: JsonObject[] | undefined;
  metadata: MessageMetadata | undefined;
  warnings: string[];
}

/** Parses `metadata` ({event_type, event_payload}) as Slack checks it. */
export function parseMetadata(args: MethodArguments): MessageMetadata | undefined {
  const value = args.json("metadata", "invalid_metadata_format");
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new SlackMethodError("invalid_metadata_format", ["[ERROR] metadata must be an object"]);
  }
  const { event_type: eventType, event_payload: eventPayload } = value as Record<string, unknown>;
  if (typeof eventType !== "string" || eventType === "") {
    throw new SlackMethodError("invalid_metadata_schema", ["[ERROR] missing required field: event_type"]);
  }
  if (typeof eventPayload !== "object" || eventPayload === null || Array.isArray(eventPayload)) {
    throw new SlackMethodError("invalid_metadata_schema", ["[ERROR] event_payload must be an object"]);
  }
  return { event_type: eventType, event_payload: eventPayload as JsonObject };
}

function parseAttachments(args: MethodArguments): JsonObject[] | undefined {
  const value = args.json("attachments", "invalid_attachments");
  if (value === undefined) return undefined;
  if (!Array.isArray(value))
    throw new SlackMethodError("invalid_attachments", ["[ERROR] must provide an array"]);
  if (value.length > 100) throw new SlackMethodError("too_many_attachments");
  return value as JsonObject[];
}

/**
 * The content of chat.postMessage / chat.update / chat.postEphemeral: `text` (truncated past 40,000
 * characters with a `message_truncated` warning), `blocks` (Block Kit limits), `attachments`,
 * `markdown_text` (alone, ≤ 12,000) and `metadata`.
 */
export function parseMessageContent(
  args: MethodArguments,
  options: { requireContent: boolean },
): MessageContent {
  const warnings: string[] = [];
  const markdown = args.string("markdown_text");
  if (markdown !== undefined && (args.has("text") || args.has("blocks"))) {
    throw new SlackMethodError("markdown_text_conflict");
  }
  let blocks: JsonObject[] | undefined;
  const rawBlocks = args.json("blocks", "invalid_blocks_format");
  if (rawBlocks !== undefined) blocks = validateBlocks(rawBlocks, { maxBlocks: 50 });
  const attachments = parseAttachments(args);
  let text = args.string("text") ?? "";
  if (markdown !== undefined) {
    if (markdown.length > maxMarkdownLength) {
      throw new SlackMethodError("msg_too_long", [
        `[ERROR] markdown_text must be at most ${maxMarkdownLength} characters`,
      ]);
    }
    text = markdown;
    blocks = [{ type: "markdown", text: markdown }];
  }
  const empty = text === "" && (blocks === undefined || blocks.length === 0) && !attachments?.length;
  if (options.requireContent && empty) throw new SlackMethodError("no_text");
  if (text.length > maxTextLength) {
    text = text.slice(0, maxTextLength);
    warnings.push("message_truncated");
  }
  return { text, blocks, attachments, metadata: parseMetadata(args), warnings };
}

/** Slack's shape for non-fatal warnings: `warning` plus `response_metadata.warnings`. */
export function withWarnings(result: Record<string, unknown>, warnings: string[]): Record<string, unknown> {
  if (warnings.length === 0) return result;
  return { ...result, warning: warnings.join(","), response_metadata: { warnings } };
}
