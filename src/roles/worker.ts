import { DelayedError, type Job, Worker } from "bullmq";
import { Redis } from "ioredis";
import { type AudienceDirectory, admits } from "../harness/flow.js";
import { executeRun, type HarnessServices, type RunRecord } from "../harness/loop.js";
import { systemPrompt, threadContext } from "../harness/prompt.js";
import { unknownDirectory } from "../harness/run-flow.js";
import { listenForCancellations } from "../queue/cancellation.js";
import { jobs, queueNames } from "../queue/catalog.js";
import { redisConnection } from "../queue/connection.js";
import { lockSettings, type WorkerSettings } from "../queue/worker-settings.js";
import { runApprovalTimer, scheduleApprovalTimers } from "../runs/approval-timers.js";
import { recoverLostWork } from "../runs/recovery.js";
import { reportRunFailure } from "../runs/run-failure.js";
import type { Services } from "../services.js";
import { slackAudienceDirectory } from "../slack/audience-directory.js";
import { createRun, enqueueRun, forgetUnclaimedReplies } from "../slack/intake.js";
import { createSlackThread } from "../slack/thread.js";
import { pruneExpiredData } from "../storage/retention.js";
import { memoryStart } from "../tools/memory/index.js";
import { toolsetFor } from "../tools/registry.js";
import type { Tool } from "../tools/tool.js";

/**
 * The worker role: BullMQ workers that execute runs through the harness. Settings are chosen for
 * hours-long jobs (src/queue/worker-settings.ts): the lock is renewed while the event loop is free;
 * after a SIGKILL the stalled checker hands the job to another worker within about 12 s. The run
 * itself resumes from its checkpoint.
 */
export interface WorkerRole {
  close(graceMs: number): Promise<void>;
}

/** Every tool a run could use (the registry's, plus per-workspace ones such as MCP servers'). */
export type ToolSource = (run: { workspaceId: string; channel: string }) => Promise<Tool[]>;

export { workerSettings } from "../queue/worker-settings.js";

export async function startWorker(
  services: Services,
  options: { tools?: ToolSource; settings?: Partial<WorkerSettings> } = {},
): Promise<WorkerRole> {
  const { config, logger } = services;
  const connection = redisConnection(config.redisUrl);
  const cancellations = await listenForCancellations(new Redis(connection), config.queuePrefix);
  let draining = false;
  const harness = harnessServices(services, options.tools ?? (async () => []), () => draining);

  const worker = new Worker(
    queueNames.runs,
    async (job: Job, token?: string, jobSignal?: AbortSignal) => {
      if (job.name === "approval.timer") {
        return runApprovalTimer(services, jobs["approval.timer"].payload.parse(job.data));
      }
      services.metrics.observeJobStart(queueNames.runs, job);
      const payload = jobs["run.execute"].payload.parse(job.data);
      if (draining) {
        await job.moveToDelayed(Date.now() + 1000, token);
        throw new DelayedError();
      }
      const registration = cancellations.register(payload.runId);
      const signal = jobSignal ? AbortSignal.any([registration.signal, jobSignal]) : registration.signal;
      try {
        const outcome = await executeRun(payload.runId, harness, signal, { owner: job.id ?? token });
        if (outcome === "busy") {
          // Another job holds this run right now: try again shortly (not counted as an attempt).
          await job.moveToDelayed(Date.now() + 2000, token);
          throw new DelayedError();
        }
        if (outcome === "yielded") {
          // Shutting down: hand the run to another worker at once; it continues from its checkpoint.
          await job.moveToDelayed(Date.now(), token);
          throw new DelayedError();
        }
        // Also after "skipped": a job recovered after its worker died between finishing the run and this.
        if (["completed", "stopped", "failed", "cancelled", "skipped"].includes(outcome)) {
          await continueIfUnanswered(services, payload.runId);
        }
        return outcome;
      } finally {
        registration.release();
      }
    },
    {
      connection,
      prefix: config.queuePrefix,
      concurrency: config.worker.concurrency,
      telemetry: services.tracing.queue,
      ...lockSettings(options.settings),
    },
  );
  worker.on("failed", (job, error) => {
    logger.error({ jobId: job?.id, error: error.message }, "run job failed");
    // Out of attempts: the run ends as failed, explained in the thread in plain words.
    if (job?.name === "run.execute" && job.attemptsMade >= (job.opts.attempts ?? 1)) {
      const { runId } = jobs["run.execute"].payload.parse(job.data);
      void reportRunFailure(services, runId, error).catch((failure) =>
        logger.error({ runId, error: String(failure) }, "could not report the run's failure"),
      );
    }
  });
  worker.on("error", (error) => logger.error({ error: error.message }, "worker error"));
  worker.on("stalled", () => services.metrics.observeStallRecovery(queueNames.runs));
  await worker.waitUntilReady();
  const sweep = setInterval(() => {
    void recoverLostWork(services).catch((error) =>
      logger.warn({ error: String(error) }, "recovery sweep failed"),
    );
  }, 30_000);
  sweep.unref();
  // A scan of the thread log: rarely, since unclaimed replies only need to go within the hour.
  const forget = setInterval(() => {
    void forgetUnclaimedReplies(services).catch((error) =>
      logger.warn({ error: String(error) }, "could not forget unclaimed replies"),
    );
  }, 10 * 60_000);
  forget.unref();
  // Retention (src/storage/retention.ts): every replica, in bounded batches that skip each other's rows.
  const prune = setInterval(() => {
    void pruneExpiredData(services, config.retention)
      .then((pruned) => logger.info({ pruned }, "retention sweep"))
      .catch((error) => logger.warn({ error: String(error) }, "retention sweep failed"));
  }, 10 * 60_000);
  prune.unref();

  return {
    async close(graceMs) {
      draining = true;
      clearInterval(sweep);
      clearInterval(forget);
      clearInterval(prune);
      const closing = worker.close();
      const timer = new Promise<"timeout">((resolve) =>
        setTimeout(() => resolve("timeout"), graceMs).unref(),
      );
      if ((await Promise.race([closing, timer])) === "timeout") {
        logger.warn(
          "grace period over: cancelling jobs still running (they resume elsewhere from their checkpoint)",
        );
        worker.cancelAllJobs("shutdown");
        await worker.close(true);
      }
      await cancellations.close();
    },
  };
}

export function harnessServices(
  services: Services,
  tools: ToolSource,
  draining: () => boolean = () => false,
): HarnessServices {
  return {
    shouldYield: draining,
    database: services.database,
    model: services.model,
    async toolset(run: RunRecord) {
      // Every tool, narrowed to what the workspace's policy (with this channel's overrides) offers.
      return toolsetFor(services, run, await tools(run));
    },
    async thread(run: RunRecord) {
      const client = await services.slack.forWorkspace(run.workspaceId);
      return createSlackThread({
        database: services.database,
        client,
        logger: services.logger,
        run,
        onApprovalRequested: (approvalId) => scheduleApprovalTimers(services, approvalId),
      });
    },
    // Who is in which conversation, asked live for the information-flow rule (src/harness/flow.ts).
    directory: async (run: RunRecord) =>
      slackAudienceDirectory(await services.slack.forWorkspace(run.workspaceId)),
    toolServices: { slack: services.slack, database: services.database, queues: services.queues },
    contextWindow: services.config.model?.contextWindow,
    budgets: services.config.budgets,
    messageLimit: services.config.prompt.messageLimit,
    logger: services.logger,
    now: services.now,
    approvalKey: services.keys.approvals,
    observeStep: (step) => services.metrics.observeStep(step),
    systemPrompt: () => systemPrompt(),
    redact: services.redact,
    tracer: services.tracing.tracer,
    price: (_model, usage) => {
      const prices = services.config.model?.prices;
      if (!prices) return 0;
      const uncached = usage.inputTokens - usage.cachedTokens;
      return Math.round(
        uncached * prices.input +
          usage.cachedTokens * prices.cachedInput +
          usage.outputTokens * prices.output,
      );
    },
    startLabel: async (run) => (await startingMemories(services, run)).label,
    startContext: async (run) => [
      ...(await startingMemories(services, run)).messages,
      ...(await threadContext(services.database, run, services.config.prompt.messageLimit)),
    ],
  };
}

/**
 * A message of the requester that reached the thread while the run was finishing was stored but never
 * given to a model call: start a follow-up run for it, so their message is not lost.
 */
async function continueIfUnanswered(services: Services, runId: string): Promise<void> {
  const run = await services.database.run.findUnique({ where: { id: runId }, include: { task: true } });
  if (!run) return;
  const unanswered = await services.database.threadMessage.findFirst({
    where: {
      workspaceId: run.workspaceId,
      channel: run.channel,
      threadTs: run.task.threadTs,
      deliveredToRunId: null,
      botId: null,
      // Only the requester's own messages continue their work: anyone else's reply was context.
      userId: run.requesterId,
      ts: { gt: run.triggerTs },
    },
    orderBy: { ts: "asc" },
  });
  if (!unanswered?.userId) return;
  const followUp = await createRun(
    services.database,
    {
      workspaceId: run.workspaceId,
      channel: run.channel,
      user: unanswered.userId,
      text: unanswered.text,
      ts: unanswered.ts,
    },
    run.task.threadTs,
    run.task.source,
  );
  await enqueueRun(services.queues, followUp, "start");
}

/** Memories given at start: only those the run's own conversation may read (src/tools/memory/context.ts). */
async function startingMemories(services: Services, run: RunRecord) {
  // Asked only when there are memories to check; without Slack nothing private is admitted.
  let directory: Promise<AudienceDirectory> | undefined;
  const lookUp = () => {
    directory ??= services.slack
      .forWorkspace(run.workspaceId)
      .then(slackAudienceDirectory, () => unknownDirectory);
    return directory;
  };
  return memoryStart(services.database, run, {
    admitted: async (label) => admits(label, { kind: "conversation", id: run.channel }, await lookUp()),
  });
}
