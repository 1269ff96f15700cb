import type { JsonObject, ViewKind } from "../state/types.js";
import type { MethodArguments } from "./arguments.js";
import { validateBlocks } from "./blocks.js";
import { SlackMethodError } from "./method-error.js";

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function titleProblem(value: unknown, field: string, required: boolean): string | undefined {
  if (value === undefined || value === null) {
    return required ? `[ERROR] missing required field: ${field} [json-pointer:/view]` : undefined;
  }
  if (!isObject(value) || value.type !== "plain_text" || typeof value.text !== "string") {
    return `[ERROR] must be a plain_text text object [json-pointer:/view/${field}]`;
  }
  if (value.text.length > 24)
    return `[ERROR] must be less than 25 characters [json-pointer:/view/${field}/text]`;
  return undefined;
}

/**
 * The `view` argument of views.open/push/update/publish, checked against Slack's limits (title,
 * submit and close ≤ 24 characters, ≤ 100 blocks, submit required with input blocks, ...). Slack
 * reports these as `invalid_arguments` with json-pointer messages.
 */
export function parseView(args: MethodArguments, expected: ViewKind | "any"): JsonObject {
  const view = args.json("view", "invalid_arguments");
  if (view === undefined)
    throw new SlackMethodError("invalid_arguments", ["[ERROR] missing required field: view"]);
  if (!isObject(view))
    throw new SlackMethodError("invalid_arguments", ["[ERROR] must provide an object [json-pointer:/view]"]);
  const problems: string[] = [];
  if (view.type !== "modal" && view.type !== "home") {
    problems.push("[ERROR] must be one of modal, home [json-pointer:/view/type]");
  } else if (expected !== "any" && view.type !== expected) {
    problems.push(`[ERROR] must be ${expected} [json-pointer:/view/type]`);
  }
  if (view.type === "modal") {
    for (const [field, required] of [
      ["title", true],
      ["submit", false],
      ["close", false],
    ] as const) {
      const problem = titleProblem(view[field], field, required);
      if (problem) problems.push(problem);
    }
  }
  if (typeof view.callback_id === "string" && view.callback_id.length > 255) {
    problems.push("[ERROR] must be less than 256 characters [json-pointer:/view/callback_id]");
  }
  if (typeof view.private_metadata === "string" && view.private_metadata.length > 3000) {
    problems.push("[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]");
  }
  if (typeof view.external_id === "string" && view.external_id.length > 255) {
    problems.push("[ERROR] must be less than 256 characters [json-pointer:/view/external_id]");
  }
  try {
    validateBlocks(view.blocks ?? [], { maxBlocks: 100, pointer: "/view/blocks" });
  } catch (error) {
    if (!(error instanceof SlackMethodError)) throw error;
    problems.push(...error.messages);
  }
  const hasInput =
    Array.isArray(view.blocks) && view.blocks.some((block) => isObject(block) && block.type === "input");
  if (view.type === "modal" && hasInput && view.submit === undefined) {
    problems.push("[ERROR] must provide a submit property when using input blocks [json-pointer:/view]");
  }
  if (problems.length > 0) throw new SlackMethodError("invalid_arguments", problems);
  return view;
}
