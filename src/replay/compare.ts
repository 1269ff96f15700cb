import { stableJson } from "../harness/ledger.js";

/**
 * Where a replay's behaviour differs from the recording: a different number of steps, a step of
 * another kind, another tool called or with other arguments, another result shown to the model, an
 * approval asked for (or not) that the recording did not (or did), another outcome. Model retries,
 * latencies and costs are the environment's, not behaviour, and are not compared.
 */
export type DivergenceKind =
  | "step_count"
  | "step_kind"
  | "model_output"
  | "tool"
  | "arguments"
  | "tool_result"
  | "approval"
  | "outcome"
  | "unrecorded_call";

export interface Divergence {
  kind: DivergenceKind;
  /** The step index (1-based, as in the Step table) where it shows. */
  step?: number;
  message: string;
  recorded?: unknown;
  replayed?: unknown;
}

export interface ComparedStep {
  index: number;
  kind: string;
  data: unknown;
}

export interface ComparedRun {
  status: string;
  stopReason: string | null;
  steps: ComparedStep[];
  /** Calls that needed an approval: `<tool> <call id>`. */
  approvals: string[];
}

export function compareRuns(recorded: ComparedRun, replayed: ComparedRun): Divergence[] {
  const divergences: Divergence[] = [];
  const count = Math.min(recorded.steps.length, replayed.steps.length);
  for (let position = 0; position < count; position++) {
    divergences.push(...compareStep(recorded.steps[position]!, replayed.steps[position]!));
  }
  if (recorded.steps.length !== replayed.steps.length) {
    const extra = recorded.steps.length > replayed.steps.length ? recorded.steps : replayed.steps;
    const next = extra[count];
    divergences.push({
      kind: "step_count",
      step: next?.index,
      message: `The recording has ${recorded.steps.length} steps, the replay ${replayed.steps.length}.`,
      recorded: recorded.steps.length,
      replayed: replayed.steps.length,
    });
  }
  const missing = recorded.approvals.filter((approval) => !replayed.approvals.includes(approval));
  const added = replayed.approvals.filter((approval) => !recorded.approvals.includes(approval));
  for (const approval of missing) {
    divergences.push({
      kind: "approval",
      message: `The recording asked for approval of ${approval}; the replay did not.`,
    });
  }
  for (const approval of added) {
    divergences.push({
      kind: "approval",
      message: `The replay asked for approval of ${approval}; the recording did not.`,
    });
  }
  if (recorded.status !== replayed.status || recorded.stopReason !== replayed.stopReason) {
    divergences.push({
      kind: "outcome",
      message: `The recording ended ${describe(recorded)}, the replay ${describe(replayed)}.`,
      recorded: { status: recorded.status, stopReason: recorded.stopReason },
      replayed: { status: replayed.status, stopReason: replayed.stopReason },
    });
  }
  return divergences;
}

function compareStep(recorded: ComparedStep, replayed: ComparedStep): Divergence[] {
  const step = recorded.index;
  if (recorded.kind !== replayed.kind) {
    return [
      {
        kind: "step_kind",
        step,
        message: `Step ${step} is a ${recorded.kind} step in the recording, a ${replayed.kind} step in the replay.`,
        recorded: recorded.kind,
        replayed: replayed.kind,
      },
    ];
  }
  const before = fields(recorded.data);
  const after = fields(replayed.data);
  if (recorded.kind === "tool") {
    if (before.tool !== after.tool) {
      return [
        {
          kind: "tool",
          step,
          message: `Step ${step} called ${String(before.tool)} in the recording, ${String(after.tool)} in the replay.`,
          recorded: before.tool,
          replayed: after.tool,
        },
      ];
    }
    const found: Divergence[] = [];
    if (normalizedArguments(before.arguments) !== normalizedArguments(after.arguments)) {
      found.push({
        kind: "arguments",
        step,
        message: `Step ${step} called ${String(before.tool)} with other arguments.`,
        recorded: before.arguments,
        replayed: after.arguments,
      });
    }
    if (
      withoutFenceIds(before.content) !== withoutFenceIds(after.content) ||
      (before.isError === true) !== (after.isError === true)
    ) {
      found.push({
        kind: "tool_result",
        step,
        message: `Step ${step}: ${String(before.tool)} gave the model another result${
          (before.isError === true) !== (after.isError === true)
            ? ` (${after.isError === true ? "an error" : "no error"} instead of ${before.isError === true ? "an error" : "a result"})`
            : ""
        }.`,
        recorded: before.content,
        replayed: after.content,
      });
    }
    return found;
  }
  if (recorded.kind === "model") {
    const shape = (data: Record<string, unknown>) =>
      stableJson({
        text: data.text ?? "",
        toolCalls: data.toolCalls ?? [],
        finishReason: data.finishReason ?? "",
      });
    if (shape(before) !== shape(after)) {
      return [
        { kind: "model_output", step, message: `Step ${step}: the model turn was recorded differently.` },
      ];
    }
    return [];
  }
  if (before.type !== after.type) {
    return [
      {
        kind: "step_kind",
        step,
        message: `Step ${step} is a ${String(before.type)} note in the recording, ${String(after.type)} in the replay.`,
      },
    ];
  }
  return [];
}

/**
 * The untrusted fence's id is keyed per call and per server (src/harness/tool-runner.ts): a replay's
 * scratch run has other keys, so ids are left out of the comparison (so are recordings made before ids).
 */
function withoutFenceIds(content: unknown): unknown {
  if (typeof content !== "string") return content;
  return content
    .replace(/<untrusted_data source="([^"]*)" id="[0-9a-f]+">/g, '<untrusted_data source="$1">')
    .replace(/<\/untrusted_data id="[0-9a-f]+">/g, "</untrusted_data>");
}

function fields(data: unknown): Record<string, unknown> {
  return data && typeof data === "object" && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
}

/** Arguments compared as JSON values (key order and spacing do not matter), or as text when not JSON. */
function normalizedArguments(value: unknown): string {
  if (typeof value !== "string") return stableJson(value ?? null);
  try {
    return stableJson(JSON.parse(value));
  } catch {
    return value;
  }
}

function describe(run: { status: string; stopReason: string | null }): string {
  return run.stopReason ? `${run.status} (${run.stopReason})` : run.status;
}
