import { z } from "zod";
import type { Tool } from "../tools/tool.js";
import type { ToolDefinition } from "./model/model.js";

/** Model-facing tool definitions, in a stable order (by name) so the prompt prefix never changes. */
export function toolDefinitions(tools: Tool[]): ToolDefinition[] {
  return [...tools]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((tool) => ({
      name: tool.name,
      description: tool.description,
      parameters: z.toJSONSchema(tool.input, { target: "draft-7", io: "input" }) as Record<string, unknown>,
    }));
}
