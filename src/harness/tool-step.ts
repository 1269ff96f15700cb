import { runEvents } from "../observability/run-events.js";
import { traceToolCall } from "../observability/run-spans.js";
import { needsApproval } from "../tools/policy.js";
import { closeApprovalPost, createApproval } from "./approvals.js";
import { type StepRecord, saveCheckpoint } from "./checkpoint.js";
import { advanceContext, contextOptions } from "./context.js";
import { callSignature, defaultLoopLimits, loopNote, observeCall } from "./loop-detection.js";
import type { NextStep } from "./next-step.js";
import { contextLabel, readResult } from "./run-flow.js";
import { definitionsOf, type Loop, stop, traced } from "./step-context.js";
import { runToolCall } from "./tool-runner.js";

/**
 * A tool step: the next pending call of the latest model turn goes through the tool runner (policy,
 * information flow, the ledger); it parks for an approval or a person's answer, or records the result
 * and commits the checkpoint.
 */
export async function toolStep(loop: Loop): Promise<NextStep> {
  const { state, services, run } = loop;
  const call = state.pending[0]!;
  const key = `${run.id}:${state.turn}:${call.id}`;
  // Only calls that need approval or can send data out can have one: the others skip the lookup.
  const tool = loop.toolset.tools.get(call.name);
  const approval =
    tool && (needsApproval(tool, loop.toolset.policy) || tool.sinks)
      ? await services.database.approval.findUnique({ where: { toolCallKey: key } })
      : null;
  if (approval) await closeApprovalPost(services.database, approval);
  const started = services.now();
  const outcome = await traceToolCall(services, call, async () =>
    runToolCall({
      call,
      key,
      step: state.step,
      tools: loop.toolset.tools,
      policy: loop.toolset.policy,
      approval: approval ?? undefined,
      database: services.database,
      messageLimit: services.messageLimit,
      context: {
        workspaceId: run.workspaceId,
        userId: run.requesterId,
        channel: run.channel,
        threadTs: run.task.threadTs,
        runId: run.id,
        logger: loop.logger.child({ step: state.step, tool: call.name }),
        signal: loop.signal,
        services: services.toolServices,
      },
      flow: {
        label: await contextLabel(state, run, loop.directory),
        requesterWords: state.flow.requesterWords,
        approved: state.flow.approved,
        directory: loop.directory,
      },
      fenceKey: services.approvalKey,
    }),
  );
  if (outcome.type === "needs_approval") {
    const created = await createApproval(loop, {
      key,
      call,
      tool: outcome.tool,
      input: outcome.input,
      hash: outcome.hash,
      flows: outcome.flows,
    });
    loop.logger.info(
      { event: runEvents.approvalRequested, approvalId: created.id, tool: call.name },
      "approval requested",
    );
    state.waiting = { kind: "approval", approvalId: created.id, callId: call.id };
    return { type: "wait_for_approval", approvalId: created.id };
  }
  if (outcome.type === "unknown_effect") {
    state.waiting = {
      kind: "input",
      unknownEffectKey: key,
      question:
        `I was interrupted while doing this: ${outcome.summary}. I can't tell whether it happened. ` +
        "Reply *done* if it did, or *retry* to do it again.",
    };
    return { type: "wait_for_input", question: state.waiting.question };
  }
  readResult(state, outcome.label, outcome.approvedFlows);
  state.messages.push({
    role: "tool",
    toolCallId: call.id,
    name: call.name,
    content: outcome.content,
    ...(outcome.isError ? { isError: true } : {}),
  });
  state.pending = state.pending.slice(1);
  state.step += 1;
  if (outcome.isError)
    loop.logger.info(
      { event: runEvents.toolError, step: state.step, tool: call.name, error: outcome.content.slice(0, 500) },
      "tool call failed",
    );
  const verdict = observeCall(
    state,
    callSignature(call.name, call.arguments),
    outcome.content,
    defaultLoopLimits,
  );
  if (verdict === "warn")
    state.messages.push({ role: "user", content: loopNote(callSignature(call.name, call.arguments)) });
  advanceContext(state, contextOptions(services, definitionsOf(loop)));
  const step: StepRecord = {
    kind: "tool",
    data: traced(services, {
      tool: call.name,
      callId: call.id,
      arguments: call.arguments,
      isError: outcome.isError,
      content: outcome.content.slice(0, 20_000),
    }),
    latencyMs: services.now() - started,
  };
  await saveCheckpoint(services.database, run.id, state, { step });
  services.observeStep?.(step);
  if (verdict === "stop")
    return stop("loop_detected", callSignature(call.name, call.arguments).slice(0, 200));
  return { type: "run_again" };
}
