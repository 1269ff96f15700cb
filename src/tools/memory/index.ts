import type { Tool } from "../tool.js";
import { forgetTool } from "./forget.js";
import { recallTool } from "./recall.js";
import { rememberTool } from "./remember.js";

/** remember, recall and forget: per workspace, channel and person, in Postgres. */
export function memoryTools(): Tool[] {
  return [rememberTool, recallTool, forgetTool] as Tool[];
}

export { memoryContext, memoryStart } from "./context.js";
