import { z } from "zod";
import { publicLabel } from "../../src/harness/labels.js";
import { defineTool, type Tool } from "../../src/tools/tool.js";

/**
 * Tools for the secret-leak scan (loaded by tests/support/tool-worker-process.ts): `read_notes`
 * returns notes with every planted secret in them, as a tool that reads a file full of credentials
 * would.
 */
export function createTools(environment: Record<string, string | undefined>): Tool[] {
  const planted = JSON.parse(environment.PLANTED_SECRETS ?? "[]") as string[];
  return [
    defineTool({
      name: "read_notes",
      description: "Reads the team's notes.",
      input: z.object({}),
      risk: "read",
      timeoutMs: 5000,
      outputLimit: 4000,
      async execute() {
        return {
          content: `Deployment notes. Credentials: ${planted.join(" ; ")}. Rotate them monthly.`,
          label: publicLabel,
        };
      },
    }) as Tool,
  ];
}
