import type { Tracer } from "@opentelemetry/api";
import type { Logger } from "../logger.js";
import type { Redactor } from "../security/redact.js";
import type { Database, Prisma } from "../storage/database.js";
import type { Policy } from "../tools/policy.js";
import type { Tool, ToolServices } from "../tools/tool.js";
import type { Budgets } from "./budgets.js";
import type { StepRecord } from "./checkpoint.js";
import type { ContextOptions } from "./context.js";
import type { AudienceDirectory } from "./flow.js";
import type { Label } from "./labels.js";
import type { Model } from "./model/model.js";
import type { RunThread } from "./thread.js";

/**
 * What the loop needs from the rest of the system, passed in (the worker builds it in
 * src/roles/worker.ts; tests and benchmarks build their own).
 */
export interface RunToolset {
  tools: ReadonlyMap<string, Tool>;
  policy: Omit<Policy, "channels">;
}

export interface HarnessServices {
  database: Database;
  /** Undefined when no model is configured. */
  model: Model | undefined;
  toolset(run: RunRecord): Promise<RunToolset>;
  thread(run: RunRecord): Promise<RunThread>;
  /** True when this process is shutting down: the loop stops between steps and the job moves on. */
  shouldYield?(): boolean;
  toolServices: ToolServices;
  budgets: Budgets;
  logger: Logger;
  now(): number;
  /** Micro-dollars for a call's usage (0 when prices are unknown). */
  price?(model: string, usage: { inputTokens: number; outputTokens: number; cachedTokens: number }): number;
  /** Signs approval tokens. */
  approvalKey: Buffer;
  systemPrompt(run: RunRecord): string;
  /** OpenTelemetry spans of runs, steps, model and tool calls (src/observability/run-spans.ts). */
  tracer?: Tracer;
  /** Removes secrets from what the trace records. */
  redact?: Redactor;
  /** Context added at start: thread history, memories. */
  startContext?(run: RunRecord): Promise<string[]>;
  /** The label of what `startContext` gave beyond the thread (memories' labels); see run-flow.ts. */
  startLabel?(run: RunRecord): Promise<Label | undefined>;
  /**
   * Who is in which conversation, for the information-flow rule (Slack in production). Without one,
   * nothing private may reach any conversation but its own.
   */
  directory?(run: RunRecord): Promise<AudienceDirectory>;
  /** The model's context window in tokens (LLM_CONTEXT_WINDOW); 128000 when undefined. */
  contextWindow?: number;
  /** Masking and compaction settings (context.ts); `{ enabled: false }` sends the whole transcript. */
  contextManagement?: Partial<ContextOptions>;
  /** Characters of one Slack message shown in the prompt (MESSAGE_PROMPT_LIMIT; message-limit.ts). */
  messageLimit?: number;
  /** Called with every step committed to the trace (metrics: `metrics.observeStep`). */
  observeStep?(step: StepRecord): void;
}

export type RunRecord = Prisma.RunGetPayload<{ include: { task: true } }>;

export type RunOutcome =
  | "completed"
  | "parked"
  | "stopped"
  | "failed"
  | "cancelled"
  | "skipped"
  | "yielded"
  | "busy";
