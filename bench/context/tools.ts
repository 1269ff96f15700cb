import { z } from "zod";
import type { Database } from "../../src/storage/database.js";
import { createReadArtifactTool } from "../../src/tools/artifacts/read-artifact.js";
import { defineTool, type Tool } from "../../src/tools/tool.js";
import { outputKey, type TaskPlan } from "./tasks.js";

/**
 * The benchmark's tools: each answers from the task's seeded outputs. They clip at the same limit as
 * fetch_url (20,000 characters), so larger outputs reach the model as a preview with an artifact handle.
 */
export const benchOutputLimit = 20_000;

export function benchTools(task: TaskPlan, database: Database): Tool[] {
  const lookup = (name: string) => async (input: unknown) =>
    task.outputs.get(outputKey(name, input)) ?? {
      content: `${name}: nothing found for ${JSON.stringify(input)}`,
      isError: true,
    };
  const tool = <Input>(name: string, description: string, input: z.ZodType<Input>): Tool =>
    ({
      ...defineTool<Input>({
        name,
        description,
        input,
        risk: "read",
        timeoutMs: 10_000,
        outputLimit: benchOutputLimit,
        execute: lookup(name),
      }),
    }) as Tool;
  return [
    tool("fetch_page", "Read a wiki page by URL.", z.object({ url: z.string().describe("The page URL") })),
    tool(
      "list_records",
      "List customer records, one page at a time.",
      z.object({ page: z.number().int().describe("Page number, from 1") }),
    ),
    tool(
      "read_log",
      "Read one part of a CI build log.",
      z.object({
        build: z.number().int().describe("Build number"),
        part: z.number().int().describe("Part, from 1"),
      }),
    ),
    tool(
      "deploy",
      "Deploy a release to a region.",
      z.object({ release: z.string().describe("Release name"), region: z.string().describe("Cloud region") }),
    ),
    tool(
      "open_account",
      "Open a customer account by id.",
      z.object({ accountId: z.string().describe("The account id") }),
    ),
    createReadArtifactTool({ database }) as Tool,
  ];
}
