import type { JsonObject } from "../state/types.js";
import { SlackMethodError } from "./method-error.js";

/**
 * Block Kit limits Slack enforces, reported the way Slack reports them: `invalid_blocks` with
 * `[ERROR] <problem> [json-pointer:/blocks/0/text/text]` messages.
 */
const knownBlockTypes = new Set([
  "section",
  "divider",
  "image",
  "actions",
  "context",
  "header",
  "input",
  "rich_text",
  "markdown",
  "file",
  "video",
  "table",
  "context_actions",
  "plan",
  "task_card",
]);

type Problems = string[];

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function tooLong(problems: Problems, value: unknown, max: number, pointer: string): void {
  if (typeof value === "string" && value.length > max) {
    problems.push(`[ERROR] must be less than ${max + 1} characters [json-pointer:${pointer}]`);
  }
}

function checkText(
  problems: Problems,
  value: unknown,
  max: number,
  pointer: string,
  plainOnly = false,
): void {
  if (!isObject(value)) {
    problems.push(`[ERROR] must provide an object [json-pointer:${pointer}]`);
    return;
  }
  const allowed = plainOnly ? ["plain_text"] : ["plain_text", "mrkdwn"];
  if (!allowed.includes(String(value.type))) {
    problems.push(`[ERROR] must be one of ${allowed.join(", ")} [json-pointer:${pointer}/type]`);
  }
  if (typeof value.text !== "string" || value.text.length === 0) {
    problems.push(`[ERROR] must be more than 0 characters [json-pointer:${pointer}/text]`);
    return;
  }
  tooLong(problems, value.text, max, `${pointer}/text`);
}

function checkElement(problems: Problems, element: unknown, pointer: string): void {
  if (!isObject(element)) {
    problems.push(`[ERROR] must provide an object [json-pointer:${pointer}]`);
    return;
  }
  tooLong(problems, element.action_id, 255, `${pointer}/action_id`);
  if (element.type === "button") {
    checkText(problems, element.text, 75, `${pointer}/text`, true);
    tooLong(problems, element.value, 2000, `${pointer}/value`);
    tooLong(problems, element.url, 3000, `${pointer}/url`);
    if (element.style !== undefined && element.style !== "primary" && element.style !== "danger") {
      problems.push(`[ERROR] must be one of primary, danger [json-pointer:${pointer}/style]`);
    }
  }
}

function checkBlock(problems: Problems, block: unknown, pointer: string, blockIds: Set<string>): void {
  if (!isObject(block) || typeof block.type !== "string") {
    problems.push(`[ERROR] missing required field: type [json-pointer:${pointer}]`);
    return;
  }
  if (!knownBlockTypes.has(block.type)) {
    problems.push(`[ERROR] failed to match all allowed schemas [json-pointer:${pointer}]`);
    return;
  }
  if (block.block_id !== undefined) {
    tooLong(problems, block.block_id, 255, `${pointer}/block_id`);
    if (blockIds.has(String(block.block_id))) {
      problems.push(
        `[ERROR] duplicate block_id: ${String(block.block_id)} [json-pointer:${pointer}/block_id]`,
      );
    }
    blockIds.add(String(block.block_id));
  }
  switch (block.type) {
    case "section":
      if (block.text === undefined && block.fields === undefined) {
        problems.push(`[ERROR] must provide either text or fields [json-pointer:${pointer}]`);
      }
      if (block.text !== undefined) checkText(problems, block.text, 3000, `${pointer}/text`);
      if (Array.isArray(block.fields)) {
        if (block.fields.length > 10)
          problems.push(`[ERROR] no more than 10 items allowed [json-pointer:${pointer}/fields]`);
        for (const [index, field] of block.fields.entries()) {
          checkText(problems, field, 2000, `${pointer}/fields/${index}`);
        }
      }
      if (block.accessory !== undefined) checkElement(problems, block.accessory, `${pointer}/accessory`);
      break;
    case "header":
      checkText(problems, block.text, 150, `${pointer}/text`, true);
      break;
    case "markdown":
      if (typeof block.text !== "string")
        problems.push(`[ERROR] missing required field: text [json-pointer:${pointer}]`);
      tooLong(problems, block.text, 12000, `${pointer}/text`);
      break;
    case "actions":
      if (!Array.isArray(block.elements) || block.elements.length === 0) {
        problems.push(`[ERROR] missing required field: elements [json-pointer:${pointer}]`);
        break;
      }
      if (block.elements.length > 25)
        problems.push(`[ERROR] no more than 25 items allowed [json-pointer:${pointer}/elements]`);
      for (const [index, element] of block.elements.entries()) {
        checkElement(problems, element, `${pointer}/elements/${index}`);
      }
      break;
    case "context":
      if (!Array.isArray(block.elements) || block.elements.length === 0) {
        problems.push(`[ERROR] missing required field: elements [json-pointer:${pointer}]`);
      } else if (block.elements.length > 10) {
        problems.push(`[ERROR] no more than 10 items allowed [json-pointer:${pointer}/elements]`);
      }
      break;
    case "input":
      checkText(problems, block.label, 2000, `${pointer}/label`, true);
      checkElement(problems, block.element, `${pointer}/element`);
      break;
    case "image":
      tooLong(problems, block.alt_text, 2000, `${pointer}/alt_text`);
      break;
  }
}

/**
 * Parses and checks a `blocks` argument. Throws `invalid_blocks_format` when it is not an array of
 * objects and `invalid_blocks` (with every problem) when it breaks a limit.
 */
export function validateBlocks(
  value: unknown,
  options: { maxBlocks: number; pointer?: string },
): JsonObject[] {
  const pointer = options.pointer ?? "/blocks";
  if (!Array.isArray(value)) {
    throw new SlackMethodError("invalid_blocks_format", [
      `[ERROR] must provide an array [json-pointer:${pointer}]`,
    ]);
  }
  const problems: Problems = [];
  if (value.length > options.maxBlocks) {
    problems.push(`[ERROR] no more than ${options.maxBlocks} items allowed [json-pointer:${pointer}]`);
  }
  const blockIds = new Set<string>();
  value.forEach((block, index) => {
    checkBlock(problems, block, `${pointer}/${index}`, blockIds);
  });
  if (problems.length > 0) throw new SlackMethodError("invalid_blocks", problems);
  return value as JsonObject[];
}
