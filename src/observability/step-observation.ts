import { retriesOf } from "./model-retries.js";

/**
 * What the metrics read from a committed step: the record the harness writes to the Step table
 * (src/harness/checkpoint.ts `StepRecord`). Model steps carry `data.model` (and optionally
 * `data.costMicros`, `data.retries`); tool steps `data.tool` and `data.isError`; a `note` step with
 * `data.type === "model_error"` is a model call that failed for good.
 */
export interface ObservedStep {
  kind: string;
  data: unknown;
  usage?: { inputTokens: number; outputTokens: number; cachedTokens: number } | undefined;
  latencyMs?: number | undefined;
}

export interface ReadStep {
  kind: string;
  seconds: number;
  model: string | undefined;
  usage: { inputTokens: number; outputTokens: number; cachedTokens: number };
  costMicros: number;
  /** One entry per retry: the model that failed and its HTTP status as a label ("429", "503", "none"). */
  retries: Array<{ model: string; status: string }>;
  modelFailed: boolean;
  tool: string | undefined;
  isError: boolean;
}

export function readStep(step: ObservedStep): ReadStep {
  const data = (step.data && typeof step.data === "object" ? step.data : {}) as Record<string, unknown>;
  const text = (key: string) => (typeof data[key] === "string" ? (data[key] as string) : undefined);
  const number = (key: string) => (typeof data[key] === "number" ? (data[key] as number) : 0);
  const modelFailed = step.kind === "note" && data.type === "model_error";
  return {
    kind: step.kind,
    seconds: Math.max(0, step.latencyMs ?? 0) / 1000,
    model: step.kind === "model" || modelFailed ? (text("model") ?? "unknown") : undefined,
    usage: step.usage ?? { inputTokens: 0, outputTokens: 0, cachedTokens: 0 },
    costMicros: number("costMicros"),
    retries: retriesOf(data).map((retry) => ({
      model: typeof retry.model === "string" ? retry.model : "unknown",
      status: retry.status === null || retry.status === undefined ? "none" : String(retry.status),
    })),
    modelFailed,
    tool: step.kind === "tool" ? (text("tool") ?? "unknown") : undefined,
    isError: data.isError === true,
  };
}
