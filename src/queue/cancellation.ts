import type { Redis } from "ioredis";

/**
 * Cancelling a run reaches whichever worker holds it: the request is recorded in Postgres (so a run
 * that is parked or between jobs sees it) and published on Redis, where every worker listens and
 * aborts the run's AbortSignal if it holds it.
 */
export function cancelChannel(prefix: string): string {
  return `${prefix}:cancel`;
}

export interface CancellationListener {
  /** The signal for one run; aborted when a cancel for it is published. */
  register(runId: string): { signal: AbortSignal; release(): void };
  close(): Promise<void>;
}

export async function listenForCancellations(
  subscriber: Redis,
  prefix: string,
): Promise<CancellationListener> {
  const controllers = new Map<string, Set<AbortController>>();
  await subscriber.subscribe(cancelChannel(prefix));
  subscriber.on("message", (_channel, runId: string) => {
    for (const controller of controllers.get(runId) ?? []) controller.abort(new Error("cancelled"));
  });
  return {
    register(runId) {
      const controller = new AbortController();
      const set = controllers.get(runId) ?? new Set();
      set.add(controller);
      controllers.set(runId, set);
      return {
        signal: controller.signal,
        release() {
          set.delete(controller);
          if (set.size === 0) controllers.delete(runId);
        },
      };
    },
    async close() {
      subscriber.disconnect();
    },
  };
}

export async function publishCancel(redis: Redis, prefix: string, runId: string): Promise<void> {
  await redis.publish(cancelChannel(prefix), runId);
}
