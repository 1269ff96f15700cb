import { createHmac, randomBytes } from "node:crypto";
import { z } from "zod";
import { CodedError } from "../errors.js";
import type { Database, Prisma } from "../storage/database.js";
import type { Policy } from "../tools/policy.js";
import { needsApproval } from "../tools/policy.js";
import type { Tool, ToolContext, ToolResult } from "../tools/tool.js";
import { clipOutput } from "./artifacts.js";
import { type AudienceDirectory, type BlockedFlow, blockedFlows } from "./flow.js";
import { defaultLabel, type Label, labelSchema } from "./labels.js";
import { argumentsHash, performOnce } from "./ledger.js";
import { defaultMessageLimit } from "./message-limit.js";
import type { ToolCallRequest } from "./model/model.js";

/**
 * The one path every tool call takes: find the tool, parse and validate its input (mistakes go back
 * to the model as instructions), check policy, the information-flow rule (./flow.ts) and approval,
 * run it once through the ledger with a timeout and the run's AbortSignal, clip large output into an
 * artifact, and fence untrusted output with a delimiter the content cannot guess.
 */
export type ToolOutcome =
  | {
      type: "result";
      content: string;
      isError: boolean;
      /** The result's label (joined into the run's context label by the loop). */
      label: Label;
      /** Flows the requester approved for this call: later identical flows need no new approval. */
      approvedFlows: string[];
    }
  | { type: "needs_approval"; tool: Tool; input: unknown; hash: string; flows: BlockedFlow[] }
  | { type: "unknown_effect"; summary: string };

/** What the information-flow check needs from the run. */
export interface FlowContext {
  label: Label;
  requesterWords: string[];
  approved: string[];
  directory: AudienceDirectory;
}

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
  context: Omit<ToolContext, "idempotencyKey" | "label">;
  flow: FlowContext;
  /** Keys the fence ids of untrusted output (an HMAC of the call's key: stable across replays). */
  fenceKey: Buffer;
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
  const toolContext: ToolContext = { ...context, idempotencyKey: input.key, label: input.flow.label };
  let flows: BlockedFlow[];
  try {
    flows = await checkFlows(tool, parsed.data, toolContext, input.flow);
  } catch (error) {
    return correction(`${tool.name} cannot be used like this: ${(error as Error).message}`);
  }
  if (needsApproval(tool, input.policy) || flows.length > 0) {
    if (!input.approval || input.approval.status === "pending") {
      return { type: "needs_approval", tool, input: parsed.data, hash, flows };
    }
    if (input.approval.status === "denied") {
      const reason = input.approval.reason ? ` Their reason: "${input.approval.reason}".` : "";
      return {
        type: "result",
        content: `The user denied this action, so it was not done.${reason}`,
        isError: true,
        label: publicResult,
        approvedFlows: [],
      };
    }
  }
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
    return {
      type: "result",
      content: `${tool.name} failed: ${message}`,
      isError: true,
      label: publicResult,
      approvedFlows: [],
    };
  }
  const result = outcome.result as unknown as ToolResult;
  const label = resultLabel(result, context.userId);
  const preview = await clipOutput(
    input.database,
    context.runId,
    tool.name,
    result.content,
    tool.messageContent
      ? Math.min(tool.outputLimit, input.messageLimit ?? defaultMessageLimit)
      : tool.outputLimit,
    label,
  );
  // Fenced when the tool says its output came from outside (undeclared output keeps its shape, though
  // its default label counts it as untrusted for information flow).
  const text =
    result.untrusted || result.label?.untrusted
      ? untrusted(tool.name, preview.text, fenceId(input.fenceKey, input.key))
      : preview.text;
  return {
    type: "result",
    content: text,
    isError: result.isError ?? false,
    label,
    approvedFlows: flows.map((flow) => flow.key),
  };
}

/** The flows of this call that the requester has not allowed (the call's sinks against the run's label). */
async function checkFlows(
  tool: Tool,
  data: unknown,
  context: ToolContext,
  flow: FlowContext,
): Promise<BlockedFlow[]> {
  if (!tool.sinks) return [];
  const sinks = await tool.sinks(data, context);
  return blockedFlows({
    label: flow.label,
    sinks,
    requesterId: context.userId,
    channel: context.channel,
    requesterWords: flow.requesterWords,
    approved: flow.approved,
    directory: flow.directory,
  });
}

/** Corrections, denials and failures carry nothing read from anywhere. */
const publicResult: Label = { readers: [], untrusted: false };

function correction(content: string): ToolOutcome {
  return { type: "result", content, isError: true, label: publicResult, approvedFlows: [] };
}

/** The label a result declared (stored with it in the ledger), or the conservative default. */
function resultLabel(result: ToolResult, requesterId: string): Label {
  const declared = labelSchema.safeParse(result.label);
  const label = declared.success ? declared.data : defaultLabel(requesterId);
  return result.untrusted ? { ...label, untrusted: true } : label;
}

function toJson(result: ToolResult): Prisma.InputJsonValue {
  return {
    content: result.content,
    untrusted: result.untrusted ?? false,
    isError: result.isError ?? false,
    ...(result.label ? { label: result.label as unknown as Prisma.InputJsonValue } : {}),
  };
}

/** A fence id nobody can guess from the content, the same every time this call is replayed. */
export function fenceId(key: Buffer, callKey: string): string {
  return createHmac("sha256", key).update(`fence:${callKey}`).digest("hex").slice(0, 24);
}

/** Any spelling of the fence's tags inside content: case, spaces, `_`/`-`, closing or opening. */
const fenceTag = /<(?=\s*\/?\s*untrusted[\s_-]*data)/gi;

/**
 * Outside content is data, never instructions: it is fenced with an id the content cannot know, and
 * any tag in it that looks like the fence's is escaped, so the fence can be neither closed nor imitated.
 */
export function untrusted(source: string, content: string, id = randomBytes(12).toString("hex")): string {
  const safe = content.replace(fenceTag, "&lt;");
  return `<untrusted_data source="${source}" id="${id}">\n${safe}\n</untrusted_data id="${id}">`;
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
