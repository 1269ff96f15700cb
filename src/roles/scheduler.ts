import { type RunningScheduler, type SchedulerOptions, startScheduler } from "../schedules/scheduler.js";
import type { Services } from "../services.js";

/**
 * The scheduler role (ROLE=scheduler, or part of ROLE=all): turns schedule slots into runs. Any
 * number of replicas may run; each tick still becomes exactly one task (see docs/schedules.md).
 * The runs themselves are executed by the worker role like any other run.
 */
export interface SchedulerRole {
  scheduler: RunningScheduler;
  close(): Promise<void>;
}

export async function startSchedulerRole(
  services: Services,
  options: SchedulerOptions = {},
): Promise<SchedulerRole> {
  const scheduler = await startScheduler(services, options);
  return {
    scheduler,
    close: () => scheduler.close(),
  };
}
