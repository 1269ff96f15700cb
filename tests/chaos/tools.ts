import { z } from "zod";
import { publicLabel } from "../../src/harness/labels.js";
import { defineTool, type Tool } from "../../src/tools/tool.js";

/**
 * The chaos suite's tools, loaded by each worker process (tests/support/tool-worker-process.ts,
 * TOOLS_MODULE): two side-effecting tools that record an effect at the stand-in keyed by the call's
 * idempotency key (one needs approval), and a read-only lookup that hangs when asked to.
 */
export function createTools(environment: Record<string, string | undefined>): Tool[] {
  const standInUrl = environment.STAND_IN_URL;
  if (!standInUrl) throw new Error("STAND_IN_URL is required for the chaos tools");
  return [effect(standInUrl, "record_effect", false), effect(standInUrl, "publish_effect", true), lookup];
}

function effect(standInUrl: string, name: string, needsApproval: boolean): Tool<{ n: number }> {
  const at = (key: string) => `${standInUrl}/effects/${encodeURIComponent(key)}`;
  return defineTool({
    name,
    description: needsApproval
      ? "Publishes an effect to the outside world (needs approval)."
      : "Records an effect in the outside world.",
    input: z.object({ n: z.number().int().describe("Which effect") }),
    risk: "write",
    confined: !needsApproval,
    timeoutMs: 10_000,
    outputLimit: 1000,
    summarize: ({ n }) => `${needsApproval ? "Publish" : "Record"} effect number ${n}`,
    async execute({ n }, context) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const response = await fetch(at(context.idempotencyKey), { method: "POST", signal: context.signal });
      if (!response.ok) throw new Error(`stand-in answered ${response.status}`);
      return { content: `recorded effect ${n} (${response.status})`, label: publicLabel };
    },
    async reconcile({ n }, context) {
      const response = await fetch(at(context.idempotencyKey));
      return response.status === 200
        ? { content: `recorded effect ${n} (found after a restart)`, label: publicLabel }
        : undefined;
    },
  });
}

const lookup: Tool<{ topic: string; hang?: boolean }> = defineTool({
  name: "lookup",
  description: "Looks facts up (read-only).",
  input: z.object({
    topic: z.string().describe("What to look up"),
    hang: z.boolean().optional().describe("Test switch: never answer"),
  }),
  risk: "read",
  timeoutMs: 1500,
  outputLimit: 1000,
  async execute({ topic, hang }, context) {
    if (hang) {
      await new Promise<void>((resolve) => context.signal.addEventListener("abort", () => resolve()));
    }
    return { content: `Facts about ${topic}.`, label: publicLabel };
  },
});
