import { z } from "zod";
import { labelSchema } from "./labels.js";

/**
 * The run's checkpoint: everything needed to continue after a crash, committed to Postgres after every
 * step. `version` lets a newer build resume an older run (add a migration in `upgradeState` for each
 * change, and a fixture in tests/harness/state-fixtures).
 */
export const stateVersion = 2;

const toolCall = z.object({ id: z.string(), name: z.string(), arguments: z.string() });

const message = z.discriminatedUnion("role", [
  z.object({ role: z.literal("system"), content: z.string() }),
  z.object({ role: z.literal("user"), content: z.string() }),
  z.object({ role: z.literal("assistant"), content: z.string(), toolCalls: z.array(toolCall).optional() }),
  z.object({
    role: z.literal("tool"),
    toolCallId: z.string(),
    name: z.string(),
    content: z.string(),
    isError: z.boolean().optional(),
    /**
     * Set once the output is masked: `content` then holds the placeholder (see context.ts) and this is
     * the size of the whole output, which stays in the ToolCall ledger row for read_artifact.
     */
    maskedSize: z.number().int().optional(),
  }),
]);

const waiting = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("approval"), approvalId: z.string(), callId: z.string() }),
  z.object({ kind: z.literal("input"), question: z.string(), unknownEffectKey: z.string().optional() }),
]);

/** Information flow (labels.ts, flow.ts): what the run has read, and what the requester allowed. */
const flow = z.object({
  /** The join of the labels of everything the run has read; undefined only in an upgraded version 1. */
  label: labelSchema.optional(),
  /** The requester's own words (trigger and steering): destinations they named. */
  requesterWords: z.array(z.string()),
  /** Flows (`flowKey`) the requester approved: identical later flows in this run are not asked again. */
  approved: z.array(z.string()),
});

export const runStateSchema = z.object({
  version: z.literal(stateVersion),
  /** The transcript as the harness keeps it (masked outputs hold their placeholder, see context.ts). */
  messages: z.array(message),
  /** Completed steps: model turns plus tool results. */
  step: z.number().int(),
  /** Completed model turns. */
  turn: z.number().int(),
  /** Tool calls of the latest model turn that have no result yet, in order. */
  pending: z.array(toolCall),
  usage: z.object({ inputTokens: z.number(), outputTokens: z.number(), cachedTokens: z.number() }),
  costMicros: z.number(),
  /** Signatures of recent tool calls, for loop detection. */
  recentCalls: z.array(z.string()),
  /** Corrective notes already given for a loop (a second loop stops the run). */
  loopWarnings: z.number().int(),
  /** Steps since the transcript last gained anything new (a result that differs from earlier ones). */
  stepsWithoutProgress: z.number().int(),
  /** Hashes of recent tool results: a result seen before is no progress. */
  resultHashes: z.array(z.string()),
  /** How many tool results are masked (grows in batches, see context.ts). */
  maskedThrough: z.number().int(),
  /**
   * Messages before this index (after the task's opening messages) are replaced in the prompt by
   * `summary` (see summarize.ts); 0 while nothing is summarized. Defaults keep older checkpoints valid.
   */
  summarizedThrough: z.number().int().default(0),
  summary: z.string().default(""),
  waiting: waiting.optional(),
  startedAt: z.number(),
  /** Time spent parked (waiting for a person): it does not count against the wall-clock budget. */
  waitedMs: z.number().default(0),
  /** When the run last parked; cleared when it continues. */
  parkedAt: z.number().optional(),
  flow,
});

export type RunState = z.infer<typeof runStateSchema>;
export type StoredMessage = z.infer<typeof message>;

export function initialState(input: {
  system: string;
  context: string[];
  prompt: string;
  now: number;
  /** The label of the starting context (the run's conversation, thread history, memories). */
  label: z.infer<typeof labelSchema>;
}): RunState {
  return {
    version: stateVersion,
    messages: [
      { role: "system", content: input.system },
      ...input.context.map((content) => ({ role: "user" as const, content })),
      { role: "user", content: input.prompt },
    ],
    step: 0,
    turn: 0,
    pending: [],
    usage: { inputTokens: 0, outputTokens: 0, cachedTokens: 0 },
    costMicros: 0,
    recentCalls: [],
    loopWarnings: 0,
    stepsWithoutProgress: 0,
    resultHashes: [],
    maskedThrough: 0,
    summarizedThrough: 0,
    summary: "",
    startedAt: input.now,
    waitedMs: 0,
    flow: { label: input.label, requesterWords: [input.prompt], approved: [] },
  };
}

/** Parses a stored checkpoint, upgrading older versions. */
export function parseState(stored: unknown): RunState {
  return runStateSchema.parse(upgradeState(stored));
}

function upgradeState(stored: unknown): unknown {
  let state = stored as Record<string, unknown>;
  if (state?.version === 1) {
    // Version 2 added information flow. What a version 1 run read is unknown: the loop assumes the
    // most private label for it (see `contextLabel` in loop.ts), and the requester's words are its prompt.
    state = { ...state, version: 2, flow: { requesterWords: [], approved: [] } };
  }
  return state;
}
