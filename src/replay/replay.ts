import { randomBytes, randomUUID } from "node:crypto";
import { CodedError } from "../errors.js";
import type { Budgets } from "../harness/budgets.js";
import { executeRun, type HarnessServices } from "../harness/loop.js";
import { createRecordingThread } from "../harness/recording-thread.js";
import { createLogger, type Logger } from "../logger.js";
import type { Database } from "../storage/database.js";
import { effectivePolicy, type Policy, parsePolicy } from "../tools/policy.js";
import type { Tool, ToolServices } from "../tools/tool.js";
import { type ComparedRun, compareRuns, type Divergence } from "./compare.js";
import type { Recording } from "./recording.js";
import { recordedModelFailure, replayModel } from "./replay-model.js";
import { replayTools } from "./replay-tools.js";

/**
 * Replays a recorded run against the current harness (src/harness/loop.ts `executeRun`): a scratch
 * copy of the run (a new task and run in `database`: the same database or a scratch one) is executed
 * with a model that gives the recorded outputs and tools that give the recorded results, approvals are
 * decided as they were, questions answered with the recorded replies; then the replay's steps and
 * outcome are compared with the recording's. The scratch rows are deleted afterwards unless `keep`.
 */
export interface ReplayOptions {
  /** Where the scratch run is created. */
  database: Database;
  /** The current tool definitions; recorded tools missing here get stand-ins. */
  tools?: readonly Tool[];
  /** Tool names to run for real instead of returning recorded results. */
  live?: readonly string[];
  toolServices?: ToolServices;
  /** Default: the recorded workspace policy with the run's channel overrides. */
  policy?: Omit<Policy, "channels">;
  budgets?: Partial<Budgets>;
  logger?: Logger;
  now?: () => number;
  /** Keep the scratch task and run (to look at them in the run viewer). */
  keep?: boolean;
}

export interface ReplayReport {
  recordedRunId: string;
  replayRunId: string;
  diverged: boolean;
  divergences: Divergence[];
  recorded: { status: string; stopReason: string | null; steps: number };
  replayed: { status: string; stopReason: string | null; steps: number };
  /** Things worth knowing that are not divergences (stand-in tools, live tools). */
  notes: string[];
}

const maximumResumes = 100;

export async function replayRun(recording: Recording, options: ReplayOptions): Promise<ReplayReport> {
  const { database } = options;
  const now = options.now ?? Date.now;
  const notes: string[] = [];
  const extra: Divergence[] = [];
  const controller = new AbortController();
  const scratch = await createScratchRun(database, recording);
  const replies = [...recording.replies];
  const { tools, standIns } = replayTools(recording, options.tools ?? [], {
    live: options.live,
    events: {
      unrecorded: (tool, callId, reason) =>
        extra.push({ kind: "unrecorded_call", message: `${tool} call ${callId}: ${reason}.` }),
    },
  });
  if (standIns.length) notes.push(`Stand-ins (from the recording) were used for: ${standIns.join(", ")}.`);
  if (options.live?.length) notes.push(`Run for real: ${options.live.join(", ")}.`);
  const model = replayModel(recording.steps, (turn, recordedTurns) => {
    if (recording.run.stopReason === "model_error") return recordedModelFailure(lastModelError(recording));
    if (recording.run.status === "cancelled") {
      // The person stopped the recorded run here: an aborted signal makes the harness stop as cancelled.
      controller.abort();
      return new CodedError("run_cancelled", "cancelled (as recorded)");
    }
    return new CodedError(
      "model_permanent",
      `Replay: the harness asked for model turn ${turn}, but the recording has ${recordedTurns}.`,
    );
  });
  const policy = options.policy ?? effectivePolicy(safePolicy(recording.policy), recording.run.channel);
  const thread = createRecordingThread();
  const services: HarnessServices = {
    database,
    model,
    toolset: async () => ({ tools: new Map(tools.map((tool) => [tool.name, tool])), policy }),
    thread: async () => thread,
    toolServices: options.toolServices ?? {},
    budgets: {
      maxSteps: 40,
      maxTokens: 2_000_000,
      maxCostUsd: 5,
      maxWallMs: 4 * 60 * 60 * 1000,
      ...options.budgets,
    },
    logger: options.logger ?? createLogger("silent"),
    now,
    approvalKey: randomBytes(32),
    systemPrompt: () => `Replay of run ${recording.run.id}.`,
  };
  try {
    for (let resume = 0; resume < maximumResumes; resume++) {
      const outcome = await executeRun(scratch.runId, services, controller.signal, {
        owner: `replay-${scratch.runId}`,
      });
      if (outcome !== "parked") break;
      const decided = await answerPark(database, scratch, recording, replies, extra, now);
      if (!decided) break;
    }
    return await report(database, recording, scratch.runId, [...extra], notes);
  } finally {
    if (!options.keep) await deleteScratch(database, scratch);
  }
}

interface Scratch {
  taskId: string;
  runId: string;
  workspaceId: string;
  channel: string;
  threadTs: string;
}

async function createScratchRun(database: Database, recording: Recording): Promise<Scratch> {
  const { run } = recording;
  const marker = randomUUID();
  await database.workspace.upsert({
    where: { id: run.workspaceId },
    update: {},
    create: { id: run.workspaceId },
  });
  const threadTs = `0000000000.replay-${marker}`;
  const task = await database.task.create({
    data: {
      workspaceId: run.workspaceId,
      channel: run.channel,
      threadTs,
      requesterId: run.requesterId,
      source: run.source,
      title: `Replay of run ${run.id}`,
    },
  });
  const created = await database.run.create({
    data: {
      taskId: task.id,
      workspaceId: run.workspaceId,
      channel: run.channel,
      triggerTs: threadTs,
      requesterId: run.requesterId,
      prompt: run.prompt,
    },
  });
  return { taskId: task.id, runId: created.id, workspaceId: run.workspaceId, channel: run.channel, threadTs };
}

/** Decides the approval the replay waits for as the recording did, or answers its question. */
async function answerPark(
  database: Database,
  scratch: Scratch,
  recording: Recording,
  replies: string[],
  divergences: Divergence[],
  now: () => number,
): Promise<boolean> {
  const run = await database.run.findUniqueOrThrow({ where: { id: scratch.runId } });
  if (run.status === "waiting_approval") {
    const pending = await database.approval.findFirst({ where: { runId: scratch.runId, status: "pending" } });
    if (!pending) return false;
    const callId = pending.toolCallKey.split(":").slice(2).join(":");
    const recorded = recording.approvals.find((approval) => approval.callId === callId);
    if (recorded?.status === "pending") return false; // the recording is still waiting here too
    await database.approval.update({
      where: { id: pending.id },
      data: {
        status: recorded?.status ?? "approved",
        decidedBy: recorded?.decidedBy ?? "replay",
        reason: recorded?.reason ?? null,
        decidedAt: new Date(now()),
      },
    });
    if (!recorded) {
      divergences.push({
        kind: "approval",
        message: `${pending.tool} call ${callId} waited for an approval the recording never asked for (approved to go on).`,
      });
    }
    return true;
  }
  if (run.status === "waiting_input") {
    const reply = replies.shift();
    if (reply === undefined) return false;
    await database.threadMessage.create({
      data: {
        workspaceId: scratch.workspaceId,
        channel: scratch.channel,
        threadTs: scratch.threadTs,
        ts: `9999999999.replay-${randomUUID()}`,
        userId: recording.run.requesterId,
        text: reply,
      },
    });
    return true;
  }
  return false;
}

async function report(
  database: Database,
  recording: Recording,
  runId: string,
  extra: Divergence[],
  notes: string[],
): Promise<ReplayReport> {
  const run = await database.run.findUniqueOrThrow({
    where: { id: runId },
    include: { steps: { orderBy: { index: "asc" } }, approvals: true },
  });
  const recorded: ComparedRun = {
    status: recording.run.status,
    stopReason: recording.run.stopReason,
    steps: recording.steps,
    approvals: recording.approvals.map((approval) => `${approval.tool} ${approval.callId}`),
  };
  const replayed: ComparedRun = {
    status: run.status,
    stopReason: run.stopReason,
    steps: run.steps,
    approvals: run.approvals.map(
      (approval) => `${approval.tool} ${approval.toolCallKey.split(":").slice(2).join(":")}`,
    ),
  };
  const divergences = [...extra, ...compareRuns(recorded, replayed)];
  return {
    recordedRunId: recording.run.id,
    replayRunId: runId,
    diverged: divergences.length > 0,
    divergences,
    recorded: { status: recorded.status, stopReason: recorded.stopReason, steps: recorded.steps.length },
    replayed: { status: replayed.status, stopReason: replayed.stopReason, steps: replayed.steps.length },
    notes,
  };
}

async function deleteScratch(database: Database, scratch: Scratch): Promise<void> {
  await database.threadMessage.deleteMany({
    where: { workspaceId: scratch.workspaceId, channel: scratch.channel, threadTs: scratch.threadTs },
  });
  await database.task.delete({ where: { id: scratch.taskId } });
}

function lastModelError(recording: Recording): string | undefined {
  const note = recording.steps.findLast((step) => step.kind === "note");
  const error = (note?.data as { error?: unknown } | undefined)?.error;
  return typeof error === "string" ? error : undefined;
}

/** A recorded policy that no longer parses offers everything (the replay should still run). */
function safePolicy(value: unknown): Policy {
  try {
    return parsePolicy(value);
  } catch {
    return {};
  }
}
