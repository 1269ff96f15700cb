import { CodedError, errorMessage, isCodedError } from "../errors.js";
import { recordModelFailure } from "../observability/model-failures.js";
import { createRetryLog } from "../observability/model-retries.js";
import {
  logModelRetry,
  logParked,
  logRunFinished,
  logRunPickedUp,
  runEvents,
} from "../observability/run-events.js";
import { annotateRun, traceModelCall, traceRun, traceStep } from "../observability/run-spans.js";
import type { Database, Prisma } from "../storage/database.js";
import { checkBudgets } from "./budgets.js";
import { type StepRecord, saveCheckpoint } from "./checkpoint.js";
import { buildPrompt } from "./context.js";
import { deliverFinalAnswer } from "./final-answer.js";
import { acquireLease } from "./lease.js";
import { limitMessage } from "./message-limit.js";
import type { Model } from "./model/model.js";
import { explainStop, modelNotConfigured, type NextStep } from "./next-step.js";
import { resumeFromWait } from "./resume.js";
import { directoryFor, readThreadMessage, startLabel } from "./run-flow.js";
import type { HarnessServices, RunOutcome } from "./services.js";
import { initialState, parseState, type RunState } from "./state.js";
import { takeSteering } from "./steering.js";
import { definitionsOf, type Loop, stop, traced } from "./step-context.js";
import type { RunPhase } from "./thread.js";
import { toolStep } from "./tool-step.js";

export type { HarnessServices, RunOutcome, RunRecord, RunToolset } from "./services.js";

/**
 * The agent loop as an explicit state machine. `executeRun` loads the checkpoint, takes one step at a
 * time (a model turn, or one tool result), commits after each, and ends in exactly one NextStep:
 * a final answer, a park (approval or input, holding no worker), or a stop that is explained in the
 * thread. Calling it again for the same run continues where the last commit left off.
 */
const terminal = new Set(["completed", "failed", "cancelled", "stopped"]);

export async function executeRun(
  runId: string,
  services: HarnessServices,
  signal: AbortSignal,
  options: { owner?: string } = {},
): Promise<RunOutcome> {
  return traceRun(services, runId, () => executeLeased(runId, services, signal, options));
}

async function executeLeased(
  runId: string,
  services: HarnessServices,
  signal: AbortSignal,
  options: { owner?: string },
): Promise<RunOutcome> {
  const lease = await acquireLease(
    services.database,
    runId,
    options.owner ?? `local-${process.pid}-${runId}`,
  );
  if (!lease) return "busy";
  try {
    return await execute(runId, services, signal);
  } finally {
    await lease.release().catch(() => undefined);
  }
}

async function execute(runId: string, services: HarnessServices, signal: AbortSignal): Promise<RunOutcome> {
  const { database } = services;
  const run = await database.run.findUnique({ where: { id: runId }, include: { task: true } });
  if (!run) throw new CodedError("run_not_found", `run ${runId} does not exist`);
  annotateRun(services, run);
  if (terminal.has(run.status)) return "skipped";
  const thread = await services.thread(run);
  const logger = services.logger.child({ workspaceId: run.workspaceId, taskId: run.taskId, runId });

  const directory = await directoryFor(services, run);
  let state: RunState;
  if (run.state) {
    state = parseState(run.state);
  } else {
    const context = (await services.startContext?.(run)) ?? [];
    state = initialState({
      system: services.systemPrompt(run),
      context,
      prompt: await limitMessage(database, run.id, "slack_message", run.prompt, services.messageLimit),
      now: services.now(),
      label: await startLabel(directory, run, context, await services.startLabel?.(run)),
    });
  }
  logRunPickedUp(logger, run.status, state, !run.state);
  await database.run.update({
    where: { id: runId },
    data: { status: "running", startedAt: run.startedAt ?? new Date(services.now()) },
  });
  const progress = (phase: RunPhase, activity: string) =>
    thread
      .progress({ phase, step: state.step, activity, elapsedMs: services.now() - state.startedAt })
      .catch((error) => logger.warn({ error: errorMessage(error) }, "status update failed"));
  await progress("working", "Thinking");

  if (!services.model) {
    await thread.post(`${runId}:final`, "final", modelNotConfigured);
    await finish(database, runId, "failed", "model_not_configured");
    logRunFinished(logger, "failed", state, services.now(), "model_not_configured");
    return "failed";
  }
  const toolset = await services.toolset(run);
  const loop: Loop = {
    run,
    state,
    services,
    toolset,
    thread,
    logger,
    signal,
    model: services.model,
    directory,
  };

  for (;;) {
    if (services.shouldYield?.()) return "yielded";
    let next: NextStep;
    try {
      next = (await cancelled(loop)) ? stop("cancelled", "") : await advance(loop);
    } catch (error) {
      if (signal.aborted && (await cancelled(loop))) next = stop("cancelled", "");
      else throw error;
    }
    switch (next.type) {
      case "run_again":
        await progress("working", activityOf(loop));
        continue;
      case "final_answer":
        await deliverFinalAnswer(loop, next.text || "(The model returned an empty answer.)");
        await finish(database, runId, "completed", null);
        logRunFinished(logger, "completed", state, services.now());
        await progress("done", "Done");
        return "completed";
      case "wait_for_approval":
        state.parkedAt ??= services.now();
        await saveCheckpoint(database, runId, state, { status: "waiting_approval" });
        logParked(logger, state.waiting);
        await progress("waiting_approval", "Waiting for approval");
        return "parked";
      case "wait_for_input":
        await thread.post(`${runId}:question:${state.step}`, "question", next.question);
        state.parkedAt ??= services.now();
        await saveCheckpoint(database, runId, state, { status: "waiting_input" });
        logParked(logger, state.waiting);
        await progress("waiting_input", "Waiting for your reply");
        return "parked";
      case "stop": {
        const status =
          next.reason === "cancelled" ? "cancelled" : next.reason === "model_error" ? "failed" : "stopped";
        await thread.post(`${runId}:stop`, "notice", explainStop(next.reason, next.detail, state));
        await finish(database, runId, status, next.reason);
        logRunFinished(logger, status, state, services.now(), next.reason);
        await progress(
          status === "cancelled" ? "cancelled" : status === "failed" ? "failed" : "stopped",
          "Stopped",
        );
        return status;
      }
    }
  }
}

/** One step: resolve the next pending tool call, or take a model turn. */
async function advance(loop: Loop): Promise<NextStep> {
  const { state } = loop;
  if (state.waiting) {
    const { kind } = state.waiting;
    const resumed = await resumeFromWait(loop);
    if (resumed) return resumed;
    loop.logger.info({ event: runEvents.resumed, waitedFor: kind }, "run resumed");
  }
  if (state.pending.length > 0)
    return traceStep(loop.services, loop.run, state, "tool", () => toolStep(loop));
  // A final answer committed before the process died is posted, not asked for again (messages that
  // arrived since are left for a follow-up run).
  const last = state.messages.at(-1);
  if (last?.role === "assistant" && !last.toolCalls?.length)
    return { type: "final_answer", text: last.content };
  const over = checkBudgets(state, loop.services.budgets, loop.services.now());
  if (over) return over;
  return traceStep(loop.services, loop.run, state, "model", () => modelStep(loop));
}

async function modelStep(loop: Loop): Promise<NextStep> {
  const { state, services, run } = loop;
  const steering = await takeSteering(services.database, run, services.messageLimit);
  for (const message of steering) {
    state.messages.push({ role: "user", content: message.content });
    await readThreadMessage(state, run, loop.directory, message);
  }
  const started = services.now();
  const retries = createRetryLog(services.now);
  let response: Awaited<ReturnType<Model["generate"]>>;
  try {
    response = await traceModelCall(services, loop.model.name, () =>
      loop.model.generate({
        messages: buildPrompt(state),
        tools: definitionsOf(loop),
        signal: loop.signal,
        onRetry: (info) => {
          retries.record(info);
          logModelRetry(loop.logger, info);
        },
      }),
    );
  } catch (error) {
    if (loop.signal.aborted) throw error;
    if (
      isCodedError(error, "model_permanent") ||
      isCodedError(error, "model_transient") ||
      isCodedError(error, "model_timeout")
    ) {
      loop.logger.warn({ error: errorMessage(error) }, "model call failed");
      const note = await recordModelFailure(
        services.database,
        {
          runId: run.id,
          index: state.step + 1,
          model: loop.model.name,
          error: errorMessage(error),
          retries: retries.list(),
          latencyMs: services.now() - started,
        },
        { redact: services.redact },
      );
      services.observeStep?.(note);
      return stop("model_error", errorMessage(error));
    }
    throw error;
  }
  if (response.model !== loop.model.name)
    loop.logger.info(
      { event: runEvents.modelFallback, from: loop.model.name, to: response.model },
      "model fell back",
    );
  state.turn += 1;
  state.step += 1;
  state.usage.inputTokens += response.usage.inputTokens;
  state.usage.outputTokens += response.usage.outputTokens;
  state.usage.cachedTokens += response.usage.cachedTokens;
  const costMicros = services.price?.(response.model, response.usage) ?? 0;
  state.costMicros += costMicros;
  state.messages.push({
    role: "assistant",
    content: response.text,
    ...(response.toolCalls.length ? { toolCalls: response.toolCalls } : {}),
  });
  state.pending = response.toolCalls;
  const step: StepRecord = {
    kind: "model",
    data: traced(services, {
      model: response.model,
      text: response.text,
      toolCalls: response.toolCalls.map((call) => ({
        id: call.id,
        name: call.name,
        arguments: call.arguments,
      })),
      finishReason: response.finishReason,
      costMicros,
      ...(retries.list().length ? { retries: retries.list() as unknown as Prisma.InputJsonValue } : {}),
    }),
    usage: response.usage,
    latencyMs: services.now() - started,
  };
  await saveCheckpoint(services.database, run.id, state, {
    step,
    deliveredMessageIds: steering.map((message) => message.id),
  });
  services.observeStep?.(step);
  return response.toolCalls.length ? { type: "run_again" } : { type: "final_answer", text: response.text };
}

function activityOf(loop: Loop): string {
  const call = loop.state.pending[0];
  if (!call) return "Thinking";
  const tool = loop.toolset.tools.get(call.name);
  try {
    return tool?.summarize?.(JSON.parse(call.arguments)) ?? `Using ${call.name}`;
  } catch {
    return `Using ${call.name}`;
  }
}

async function cancelled(loop: Loop): Promise<boolean> {
  if (loop.signal.aborted) return true;
  const row = await loop.services.database.run.findUnique({
    where: { id: loop.run.id },
    select: { cancelRequestedAt: true },
  });
  return row?.cancelRequestedAt != null;
}

async function finish(
  database: Database,
  runId: string,
  status: string,
  stopReason: string | null,
): Promise<void> {
  await database.run.update({ where: { id: runId }, data: { status, stopReason, endedAt: new Date() } });
}
