import { z } from "zod";
import { CodedError } from "../errors.js";
import type { Database, Prisma } from "../storage/database.js";
import type { Policy } from "../tools/policy.js";
import { needsApproval } from "../tools/policy.js";
import type { Tool, ToolContext, ToolResult } from "../tools/tool.js";
import { clipOutput } from "./artifacts.js";
import { argumentsHash, performOnce } from "./ledger.js";
import { defaultMessageLimit } from "./message-limit.js";
import type { ToolCallRequest } from "./model/model.js";

/**
 * The one path every tool call takes: find the tool, parse and validate its input (mistakes go back
 * to the model as instructions), check policy and approval, run it once through the ledger with a
 * timeout and the run's AbortSignal, and clip large output into an artifact.
 */
export type ToolOutcome =
  | { type: "result"; content: string; isError: boolean }
  | { type: "needs_approval"; tool: Tool; input: unknown; hash: string }
  | { type: "unknown_effect"; summary: string };

export interface ToolCallInput {
  call: ToolCallRequest;
  /** Deterministic idempotency key: run, step and call. */
  key: string;
  step: number;
  tools: ReadonlyMap<string, Tool>;
  policy: Omit<Policy, "channels">;
  /** Decision already recorded for this call, if any. */
  approval: { status: string; reason: string | null } | undefined;
  database: Database;
  /** MESSAGE_PROMPT_LIMIT, for tools whose output is what people shared (Tool.messageContent). */
  messageLimit?: number;
  context: Omit<ToolContext, "idempotencyKey">;
}

export async function runToolCall(input: ToolCallInput): Promise<ToolOutcome> {
  const { call, tools, context } = input;
  const tool = tools.get(call.name);
  if (!tool) {
    const names = [...tools.keys()].join(", ") || "none";
    return correction(`There is no tool named "${call.name}". The tools you can call are: ${names}.`);
  }
  let raw: unknown;
  try {
    raw = call.arguments.trim() === "" ? {} : JSON.parse(call.arguments);
  } catch (error) {
    return correction(
      `The arguments for ${tool.name} were not valid JSON (${(error as Error).message}). ` +
        "Call the tool again with a single JSON object that matches its schema.",
    );
  }
  const parsed = tool.input.safeParse(raw);
  if (!parsed.success) {
    return correction(
      `The arguments for ${tool.name} do not match its schema:\n${z.prettifyError(parsed.error)}\n` +
        "Fix these fields and call the tool again.",
    );
  }
  const hash = argumentsHash(parsed.data);
  if (needsApproval(tool, input.policy)) {
    if (!input.approval || input.approval.status === "pending") {
      return { type: "needs_approval", tool, input: parsed.data, hash };
    }
    if (input.approval.status === "denied") {
      const reason = input.approval.reason ? ` Their reason: "${input.approval.reason}".` : "";
      return {
        type: "result",
        content: `The user denied this action, so it was not done.${reason}`,
        isError: true,
      };
    }
  }
  const toolContext: ToolContext = { ...context, idempotencyKey: input.key };
  const outcome = await performOnce(
    input.database,
    {
      key: input.key,
      runId: context.runId,
      step: input.step,
      callId: call.id,
      tool: tool.name,
      arguments: parsed.data as Prisma.InputJsonValue,
    },
    {
      whenInterrupted: tool.risk === "read" ? "rerun" : tool.reconcile ? "reconcile" : "ask",
      execute: async () => toJson(await withTimeout(tool, parsed.data, toolContext)),
      reconcile: tool.reconcile
        ? async () => {
            const found = await tool.reconcile?.(parsed.data, toolContext);
            return found ? toJson(found) : undefined;
          }
        : undefined,
      isInterruption: () => context.signal.aborted,
    },
  );
  if (outcome.status === "unknown") {
    return {
      type: "unknown_effect",
      summary: tool.summarize?.(parsed.data) ?? `${tool.name} ${call.arguments}`,
    };
  }
  if (outcome.status === "failed") {
    const message = (outcome.result as { error?: string } | null)?.error ?? "unknown error";
    return { type: "result", content: `${tool.name} failed: ${message}`, isError: true };
  }
  const result = outcome.result as unknown as ToolResult;
  const preview = await clipOutput(
    input.database,
    context.runId,
    tool.name,
    result.content,
    tool.messageContent
      ? Math.min(tool.outputLimit, input.messageLimit ?? defaultMessageLimit)
      : tool.outputLimit,
  );
  const text = result.untrusted ? untrusted(tool.name, preview.text) : preview.text;
  return { type: "result", content: text, isError: result.isError ?? false };
}

function correction(content: string): ToolOutcome {
  return { type: "result", content, isError: true };
}

function toJson(result: ToolResult): Prisma.InputJsonValue {
  return { content: result.content, untrusted: result.untrusted ?? false, isError: result.isError ?? false };
}

/** Outside content is data, never instructions: it is fenced, and the fence cannot be closed from inside. */
export function untrusted(source: string, content: string): string {
  const safe = content.replaceAll("</untrusted_data>", "</untrusted_data_>");
  return `<untrusted_data source="${source}">\n${safe}\n</untrusted_data>`;
}

async function withTimeout(tool: Tool, input: unknown, context: ToolContext): Promise<ToolResult> {
  const timeout = AbortSignal.timeout(tool.timeoutMs);
  const signal = AbortSignal.any([context.signal, timeout]);
  let rejectOnAbort: (error: Error) => void = () => undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    rejectOnAbort = reject;
  });
  const onAbort = () =>
    rejectOnAbort(
      timeout.aborted
        ? new CodedError("tool_timeout", `${tool.name} did not finish within ${tool.timeoutMs / 1000} s`)
        : new CodedError("run_cancelled", "cancelled"),
    );
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    return await Promise.race([tool.execute(input, { ...context, signal }), aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}
