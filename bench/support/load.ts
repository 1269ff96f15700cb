import { loadavg } from "node:os";

/**
 * The machine is shared: benchmarks note the load average they ran under, and can wait (up to a
 * limit) for it to fall under a threshold before measuring.
 */
export function loadAverage(): number {
  return Math.round(loadavg()[0]! * 100) / 100;
}

/** Waits until the 1-minute load average is under `threshold`, checking every 30 s, for at most `maxWaitMs`. */
export async function waitForQuietMachine(
  threshold: number,
  maxWaitMs: number,
  log: (line: string) => void,
): Promise<{ waitedMs: number; quiet: boolean }> {
  const started = Date.now();
  while (loadAverage() >= threshold) {
    if (Date.now() - started >= maxWaitMs) return { waitedMs: Date.now() - started, quiet: false };
    log(`load average ${loadAverage()} ≥ ${threshold}: waiting`);
    await new Promise((resolve) => setTimeout(resolve, 30_000));
  }
  return { waitedMs: Date.now() - started, quiet: true };
}
