import { z } from "zod";
import { CodedError } from "../errors.js";
import type { Database } from "../storage/database.js";
import type { Tool } from "../tools/tool.js";

/**
 * A recorded run, as replay needs it and as fixture files store it (tests/fixtures/runs/*.json): the
 * run's request and outcome, its Step rows (model outputs and tool results as the model saw them), its
 * ToolCall ledger rows (what each tool returned), its approvals and the replies it was given, the
 * workspace's policy, and what is known about the tools (risk, output limit) for stand-ins.
 */
export const recordingFormat = 1;

const json = z.unknown();

export const recordingSchema = z.object({
  format: z.literal(recordingFormat),
  recordedAt: z.string(),
  run: z.object({
    id: z.string(),
    workspaceId: z.string(),
    channel: z.string(),
    requesterId: z.string(),
    prompt: z.string(),
    source: z.string(),
    status: z.string(),
    stopReason: z.string().nullable(),
    stepCount: z.number().int(),
  }),
  policy: json,
  steps: z.array(
    z.object({
      index: z.number().int(),
      kind: z.string(),
      data: json,
      inputTokens: z.number().int(),
      outputTokens: z.number().int(),
      cachedTokens: z.number().int(),
      latencyMs: z.number().int(),
    }),
  ),
  toolCalls: z.array(
    z.object({
      step: z.number().int(),
      callId: z.string(),
      tool: z.string(),
      arguments: json,
      status: z.string(),
      result: json,
    }),
  ),
  approvals: z.array(
    z.object({
      callId: z.string(),
      tool: z.string(),
      status: z.string(),
      decidedBy: z.string().nullable(),
      reason: z.string().nullable(),
    }),
  ),
  /** Texts of the thread messages delivered to the run (answers to its questions), in order. */
  replies: z.array(z.string()),
  tools: z.array(
    z.object({
      name: z.string(),
      risk: z.enum(["read", "write", "irreversible"]),
      confined: z.boolean(),
      outputLimit: z.number().int(),
      timeoutMs: z.number().int(),
    }),
  ),
});

export type Recording = z.infer<typeof recordingSchema>;
export type RecordedStep = Recording["steps"][number];
export type RecordedToolCall = Recording["toolCalls"][number];

/** Reads run `runId` from the database; `tools` (the current definitions) fill in `tools` metadata. */
export async function loadRecording(
  database: Database,
  runId: string,
  options: { tools?: readonly Tool[]; now?: () => number } = {},
): Promise<Recording> {
  const run = await database.run.findUnique({
    where: { id: runId },
    include: {
      task: true,
      steps: { orderBy: { index: "asc" } },
      toolCalls: { orderBy: [{ step: "asc" }, { startedAt: "asc" }] },
      approvals: { orderBy: { createdAt: "asc" } },
    },
  });
  if (!run)
    throw new CodedError("run_not_found", `There is no run ${runId} in this database.`, { expected: true });
  const [workspace, replies] = await Promise.all([
    database.workspace.findUnique({ where: { id: run.workspaceId }, select: { policy: true } }),
    database.threadMessage.findMany({ where: { deliveredToRunId: run.id }, orderBy: { ts: "asc" } }),
  ]);
  const used = new Set([
    ...run.toolCalls.map((call) => call.tool),
    ...run.approvals.map((approval) => approval.tool),
  ]);
  return {
    format: recordingFormat,
    recordedAt: new Date(options.now?.() ?? Date.now()).toISOString(),
    run: {
      id: run.id,
      workspaceId: run.workspaceId,
      channel: run.channel,
      requesterId: run.requesterId,
      prompt: run.prompt,
      source: run.task.source,
      status: run.status,
      stopReason: run.stopReason,
      stepCount: run.stepCount,
    },
    policy: workspace?.policy ?? {},
    steps: run.steps.map((step) => ({
      index: step.index,
      kind: step.kind,
      data: step.data,
      inputTokens: step.inputTokens,
      outputTokens: step.outputTokens,
      cachedTokens: step.cachedTokens,
      latencyMs: step.latencyMs,
    })),
    toolCalls: run.toolCalls.map((call) => ({
      step: call.step,
      callId: call.callId,
      tool: call.tool,
      arguments: call.arguments,
      status: call.status,
      result: call.result,
    })),
    approvals: run.approvals.map((approval) => ({
      callId: approval.toolCallKey.split(":").slice(2).join(":"),
      tool: approval.tool,
      status: approval.status,
      decidedBy: approval.decidedBy,
      reason: approval.reason,
    })),
    replies: replies.map((message) => message.text),
    tools: (options.tools ?? [])
      .filter((tool) => used.has(tool.name))
      .map((tool) => ({
        name: tool.name,
        risk: tool.risk,
        confined: tool.confined ?? false,
        outputLimit: tool.outputLimit,
        timeoutMs: tool.timeoutMs,
      })),
  };
}
