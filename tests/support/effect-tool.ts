import { z } from "zod";
import { publicLabel } from "../../src/harness/labels.js";
import { defineTool, type Tool } from "../../src/tools/tool.js";

/**
 * A side-effecting tool for durability tests: it records an effect at the stand-in, keyed by the
 * call's idempotency key, and can find out afterwards whether an interrupted call happened.
 */
export function effectTool(
  standInUrl: string,
  options: { delayMs?: number; approval?: boolean } = {},
): Tool<{ n: number }> {
  const at = (key: string) => `${standInUrl}/effects/${encodeURIComponent(key)}`;
  return defineTool({
    name: "record_effect",
    description: "Records an effect in the outside world.",
    input: z.object({ n: z.number().int().describe("Which effect") }),
    risk: "write",
    confined: !options.approval,
    timeoutMs: 10_000,
    outputLimit: 1000,
    summarize: ({ n }) => `Record effect number ${n}`,
    async execute(_input, context) {
      await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 0));
      const response = await fetch(at(context.idempotencyKey), { method: "POST", signal: context.signal });
      return { content: `recorded (${response.status})`, label: publicLabel };
    },
    async reconcile(_input, context) {
      const response = await fetch(at(context.idempotencyKey));
      return response.status === 200
        ? { content: "recorded (found after a restart)", label: publicLabel }
        : undefined;
    },
  });
}
