import { type ConnectionOptions, type JobsOptions, Queue, type Telemetry } from "bullmq";
import { type JobName, type JobPayload, jobs, queueNames } from "./catalog.js";

/** Defaults for every job: retried with backoff after a crash or a transient error, kept briefly. */
export const defaultJobOptions: JobsOptions = {
  attempts: 25,
  backoff: { type: "exponential", delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export interface Queues {
  runs: Queue;
  schedules: Queue;
  enqueue<Name extends JobName>(
    name: Name,
    payload: JobPayload<Name>,
    options: { jobId: string; delay?: number },
  ): Promise<void>;
  close(): Promise<void>;
}

export function createQueues(connection: ConnectionOptions, prefix: string, telemetry?: Telemetry): Queues {
  const options = { connection, prefix, defaultJobOptions, telemetry };
  const runs = new Queue(queueNames.runs, options);
  const schedules = new Queue(queueNames.schedules, options);
  const byName = { [queueNames.runs]: runs, [queueNames.schedules]: schedules };
  return {
    runs,
    schedules,
    async enqueue(name, payload, options) {
      const definition = jobs[name];
      const data = definition.payload.parse(payload);
      await byName[definition.queue].add(name, data, { jobId: options.jobId, delay: options.delay });
    },
    async close() {
      await Promise.all([runs.close(), schedules.close()]);
    },
  };
}
