/**
 * One measured figure next to its baseline, measured in the same run: the ratio is what is compared
 * with the target, so a slow or loaded machine shifts both sides alike.
 */
export interface Figure {
  /** What was measured, e.g. "ack latency p99". */
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number; unit: string };
  /** value ÷ baseline value, when there is a baseline. */
  ratio?: number;
  /** e.g. "< 50 ms" or "ratio ≥ 0.5"; undefined when the figure is for information. */
  target?: string;
  met?: boolean;
  /** What the figure means, or extra numbers behind it. */
  note?: string;
  /** Why the target is missed; shown only when `met` is false. */
  whyMissed?: string;
}

export interface BenchmarkResult {
  /** The short name `BENCH_ONLY` selects it by (ack, steps, throughput, concurrency, recovery). */
  key?: string;
  name: string;
  /** How it was measured, in a sentence or two. */
  method: string;
  figures: Figure[];
  /** Samples and settings worth keeping in the JSON. */
  details?: Record<string, unknown>;
  elapsedSeconds: number;
  /** When it was measured (ISO time). */
  measuredAt?: string;
  /** 1-minute load average when the benchmark started and ended (the machine may be shared). */
  loadAverage?: [number, number];
  /** Set when the benchmark could not finish. */
  error?: string;
}

export function figure(input: Omit<Figure, "ratio">): Figure {
  const ratio = input.baseline && input.baseline.value > 0 ? input.value / input.baseline.value : undefined;
  return { ...input, ...(ratio === undefined ? {} : { ratio: Math.round(ratio * 1000) / 1000 }) };
}
