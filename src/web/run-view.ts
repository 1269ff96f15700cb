import { type RecordedRetry, retriesOf } from "../observability/model-retries.js";
import { type Redactor, redactJson } from "../security/redact.js";
import type { Database } from "../storage/database.js";

/**
 * What the run page shows, read from Postgres: the run, its steps in order (model turns with their
 * retries, tool calls with the ledger's record and the approval that gated them, notes), approvals,
 * artifacts and totals. Every string is redacted before it leaves this module.
 */
export interface RunView {
  run: {
    id: string;
    workspaceId: string;
    taskId: string;
    channel: string;
    threadTs: string;
    source: string;
    requesterId: string;
    scheduleId: string | null;
    prompt: string;
    status: string;
    stopReason: string | null;
    createdAt: string;
    startedAt: string | null;
    endedAt: string | null;
    durationMs: number | null;
  };
  steps: StepView[];
  approvals: ApprovalView[];
  artifacts: Array<{ handle: string; name: string; size: number; mediaType: string }>;
  totals: {
    steps: number;
    inputTokens: number;
    outputTokens: number;
    cachedTokens: number;
    costUsd: number;
    stepTimeMs: number;
    retries: number;
    toolErrors: number;
  };
}

export interface StepView {
  index: number;
  kind: string;
  at: string;
  /** Time since the run started. */
  offsetMs: number;
  latencyMs: number;
  tokens: { input: number; output: number; cached: number };
  costUsd: number | undefined;
  model?: {
    model: string;
    text: string;
    finishReason: string;
    toolCalls: Array<{ id: string; name: string; arguments: string }>;
    retries: RecordedRetry[];
  };
  tool?: {
    name: string;
    callId: string;
    arguments: string;
    isError: boolean;
    /** What the model was shown (clipped). */
    content: string;
    ledger?: { id: string; status: string; startedAt: string; finishedAt: string | null };
    approval?: ApprovalView;
    artifactHandles: string[];
  };
  note?: { type: string; text: string; retries: RecordedRetry[] };
}

export interface ApprovalView {
  id: string;
  tool: string;
  callId: string;
  status: string;
  approvers: string[];
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
  createdAt: string;
  waitedMs: number | null;
}

export async function loadRunView(
  database: Database,
  runId: string,
  redact: Redactor,
): Promise<RunView | undefined> {
  const run = await database.run.findUnique({
    where: { id: runId },
    include: {
      task: true,
      steps: { orderBy: { index: "asc" } },
      toolCalls: {
        orderBy: { startedAt: "asc" },
        select: { id: true, callId: true, step: true, status: true, startedAt: true, finishedAt: true },
      },
      approvals: { orderBy: { createdAt: "asc" } },
      artifacts: {
        orderBy: { createdAt: "asc" },
        select: { id: true, name: true, size: true, mediaType: true },
      },
    },
  });
  if (!run) return undefined;
  const started = (run.startedAt ?? run.createdAt).getTime();
  const approvals = run.approvals.map(
    (approval): ApprovalView => ({
      id: approval.id,
      tool: approval.tool,
      callId: callIdOf(approval.toolCallKey),
      status: approval.status,
      approvers: approval.approvers,
      decidedBy: approval.decidedBy,
      decidedAt: approval.decidedAt?.toISOString() ?? null,
      reason: approval.reason,
      createdAt: approval.createdAt.toISOString(),
      waitedMs: approval.decidedAt ? approval.decidedAt.getTime() - approval.createdAt.getTime() : null,
    }),
  );
  const steps = run.steps.map((step): StepView => {
    const data = objectOf(step.data);
    const view: StepView = {
      index: step.index,
      kind: step.kind,
      at: step.createdAt.toISOString(),
      offsetMs: Math.max(0, step.createdAt.getTime() - started),
      latencyMs: step.latencyMs,
      tokens: { input: step.inputTokens, output: step.outputTokens, cached: step.cachedTokens },
      costUsd: typeof data.costMicros === "number" ? data.costMicros / 1_000_000 : undefined,
    };
    if (step.kind === "model") {
      view.model = {
        model: text(data.model),
        text: text(data.text),
        finishReason: text(data.finishReason),
        toolCalls: arrayOf(data.toolCalls).map((call) => {
          const fields = objectOf(call);
          return { id: text(fields.id), name: text(fields.name), arguments: pretty(fields.arguments) };
        }),
        retries: retriesOf(data),
      };
    } else if (step.kind === "tool") {
      const callId = text(data.callId);
      const ledger =
        run.toolCalls.find((call) => call.callId === callId && call.step === step.index - 1) ??
        run.toolCalls.findLast((call) => call.callId === callId);
      const content = text(data.content);
      const approval = approvals.find((candidate) => candidate.callId === callId);
      view.tool = {
        name: text(data.tool),
        callId,
        arguments: pretty(data.arguments),
        isError: data.isError === true,
        content,
        ...(ledger
          ? {
              ledger: {
                id: ledger.id,
                status: ledger.status,
                startedAt: ledger.startedAt.toISOString(),
                finishedAt: ledger.finishedAt?.toISOString() ?? null,
              },
            }
          : {}),
        ...(approval ? { approval } : {}),
        artifactHandles: [...new Set(content.match(/art_[0-9a-f]{20}/g) ?? [])],
      };
    } else {
      view.note = {
        type: text(data.type) || step.kind,
        text: typeof data.error === "string" ? data.error : JSON.stringify(step.data, null, 2),
        retries: retriesOf(data),
      };
    }
    return view;
  });
  const view: RunView = {
    run: {
      id: run.id,
      workspaceId: run.workspaceId,
      taskId: run.taskId,
      channel: run.channel,
      threadTs: run.task.threadTs,
      source: run.task.source,
      requesterId: run.requesterId,
      scheduleId: run.scheduleId,
      prompt: run.prompt,
      status: run.status,
      stopReason: run.stopReason,
      createdAt: run.createdAt.toISOString(),
      startedAt: run.startedAt?.toISOString() ?? null,
      endedAt: run.endedAt?.toISOString() ?? null,
      durationMs: run.endedAt ? run.endedAt.getTime() - started : null,
    },
    steps,
    approvals,
    artifacts: run.artifacts.map((artifact) => ({
      handle: artifact.id.split("/").at(-1) ?? artifact.id,
      name: artifact.name,
      size: artifact.size,
      mediaType: artifact.mediaType,
    })),
    totals: {
      steps: run.stepCount,
      inputTokens: run.inputTokens,
      outputTokens: run.outputTokens,
      cachedTokens: run.cachedTokens,
      costUsd: Number(run.costMicros) / 1_000_000,
      stepTimeMs: run.steps.reduce((sum, step) => sum + step.latencyMs, 0),
      retries: steps.reduce(
        (sum, step) => sum + (step.model?.retries.length ?? step.note?.retries.length ?? 0),
        0,
      ),
      toolErrors: steps.filter((step) => step.tool?.isError).length,
    },
  };
  return redactJson(view, redact);
}

/** The call id inside an approval's tool call key (`<run>:<turn>:<call id>`). */
export function callIdOf(toolCallKey: string): string {
  return toolCallKey.split(":").slice(2).join(":");
}

function objectOf(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** Arguments as the model wrote them (a JSON string) or as stored (an object), indented when they parse. */
function pretty(value: unknown): string {
  if (typeof value !== "string") return JSON.stringify(value ?? {}, null, 2);
  try {
    return JSON.stringify(JSON.parse(value), null, 2);
  } catch {
    return value;
  }
}
