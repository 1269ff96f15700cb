import type { z } from "zod";
import type { Label, Sink } from "../harness/labels.js";
import type { Logger } from "../logger.js";

/**
 * One tool = one file that calls `defineTool`. The harness offers tools to the model, validates their
 * input with the zod schema, checks policy and approval, runs them with a timeout and the run's
 * AbortSignal, clips large output into an artifact, and records each call in the ledger.
 */
export type Risk = "read" | "write" | "irreversible";

/** What a tool may touch: nothing else in the system. */
export interface ToolContext {
  workspaceId: string;
  /** The person on whose behalf the run works (the requester, or a schedule's owner). */
  userId: string;
  channel: string;
  threadTs: string;
  runId: string;
  /** Deterministic per call (run, step, call): pass it to anything that can dedupe. */
  idempotencyKey: string;
  logger: Logger;
  signal: AbortSignal;
  /** The run's context label before this call: what it has read so far (run_code's output carries it). */
  label?: Label;
  /** Services a tool is entitled to, added by the composition root (Slack client, database, ...). */
  services: ToolServices;
}

/** Filled in by the parts that own each service; tools read what they need. */
export interface ToolServices {
  [name: string]: unknown;
}

export interface ToolResult {
  /** Text the model sees (before clipping). */
  content: string;
  /** Content came from outside (web, messages, files, mail): delimited as untrusted data. */
  untrusted?: boolean;
  isError?: boolean;
  /**
   * Who may read this result and whether it is untrusted (src/harness/labels.ts). A tool that declares
   * none gets the conservative default: the requester alone, untrusted.
   */
  label?: Label;
}

export interface Tool<Input = unknown> {
  name: string;
  /** For the model: what it does and when to use it. */
  description: string;
  input: z.ZodType<Input>;
  risk: Risk;
  /** A write whose effects stay inside the run's own thread or sandbox: no approval by default. */
  confined?: boolean;
  timeoutMs: number;
  /** Characters of output shown to the model before the rest goes to an artifact. */
  outputLimit: number;
  /** Its output is what people shared in Slack (a file): also held to MESSAGE_PROMPT_LIMIT. */
  messageContent?: boolean;
  execute(input: Input, context: ToolContext): Promise<ToolResult>;
  /**
   * For tools with effects: after a crash between intent and result, find out whether the effect
   * happened. Return its result if it did, `undefined` if it did not (then it is safe to run again).
   * Tools without it are never re-run blindly: the harness asks the user.
   */
  reconcile?(input: Input, context: ToolContext): Promise<ToolResult | undefined>;
  /**
   * Every place this call can send data (a channel, a person, a host, memory), checked by the harness
   * against the run's context label before the call. The final answer is a sink the harness adds.
   */
  sinks?(input: Input, context: ToolContext): Sink[] | Promise<Sink[]>;
  /** One line for people (approval messages, status): what this call will do. */
  summarize?(input: Input): string;
}

export function defineTool<Input>(tool: Tool<Input>): Tool<Input> {
  return tool;
}
