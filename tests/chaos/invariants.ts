import type { Message, SlackEmulator } from "../../src/emulator/index.js";
import type { Database } from "../../src/storage/database.js";
import type { ApprovalClicks, PostedFollowUp, PostedTask } from "./driver.js";
import type { ModelRequestRecord } from "./model-script.js";

/**
 * The end-of-run checks. Each invariant's violations are listed with enough detail to find the run;
 * the report gives their counts (all must be zero). Deliveries Slack itself gave up on (the web role
 * was down through every retry) are counted apart: they measure the harness, not the product.
 */
export interface Observations {
  database: Database;
  slack: SlackEmulator;
  tasks: PostedTask[];
  followUps: PostedFollowUp[];
  approvalClicks: ApprovalClicks[];
  effectCounts: Map<string, number>;
  modelLog: ModelRequestRecord[];
  unexpectedExits: string[];
}

export const invariantNames = {
  mention_without_task: "a mention Slack delivered produced no task",
  run_not_terminal: "a run did not reach a terminal state",
  run_without_one_final_answer:
    "a finished run has not exactly one final answer (or stop notice) in its thread",
  duplicate_post: "the same message was posted twice",
  effect_not_exactly_once: "a side effect ran other than exactly once (counted at the stand-in)",
  ledger_disagrees: "the ledger and the stand-in disagree about an effect",
  ledger_unresolved: "a ledger entry was left without a result",
  planned_effect_missing: "a completed run did not execute exactly its planned effects",
  follow_up_lost: "a follow-up Slack delivered never reached a model answer",
  approval_lost: "an acknowledged Approve click did not lead to the approved call running",
  completed_step_repeated: "a model step that was already committed was taken again",
  step_trace_broken: "a run's step indexes are not 1..n without gaps or repeats",
  process_crashed: "an app process exited without being killed",
} as const;

export type InvariantName = keyof typeof invariantNames;

export interface Findings {
  violations: Record<InvariantName, string[]>;
  summary: {
    tasksPosted: number;
    tasksStarted: number;
    runs: number;
    runsByStatus: Record<string, number>;
    mainRunsByStatus: Record<string, number>;
    followUpsPosted: number;
    followUpsDeliveredAsNewRun: number;
    approvalsRequested: number;
    approvalsApproved: number;
    approvalClickAttempts: number;
    effectsExecuted: number;
    modelRequests: number;
    modelAnswers: number;
    steps: number;
    undeliveredBySlack: number;
  };
}

const terminal = new Set(["completed", "failed", "stopped", "cancelled"]);
const effectTools = new Set(["record_effect", "publish_effect"]);

export async function checkInvariants(observed: Observations): Promise<Findings> {
  const { database, slack } = observed;
  const violations = Object.fromEntries(
    Object.keys(invariantNames).map((name) => [name, [] as string[]]),
  ) as Record<InvariantName, string[]>;
  const tasks = await database.task.findMany({ include: { runs: { include: { steps: true } } } });
  const toolCalls = await database.toolCall.findMany();
  const approvals = await database.approval.findMany();
  const threadMessages = await database.threadMessage.findMany({ where: { botId: null } });
  const runs = tasks.flatMap((task) => task.runs.map((run) => ({ ...run, task })));
  let undelivered = 0;
  const wasDelivered = (deliveries: PostedTask["deliveries"]) => {
    const delivered = deliveries.some((delivery) =>
      delivery.attempts.some((attempt) => attempt.outcome === "acked"),
    );
    if (!delivered) undelivered += 1;
    return delivered;
  };

  // Every delivered mention became a task whose first run finished, with one final answer.
  for (const posted of observed.tasks) {
    const task = tasks.find(
      (candidate) => candidate.channel === posted.channel && candidate.threadTs === posted.ts,
    );
    if (!task && wasDelivered(posted.deliveries)) {
      violations.mention_without_task.push(
        `task ${posted.plan.index} (${posted.channel} ${posted.ts}): ${attempts(posted.deliveries)}`,
      );
    }
  }
  for (const run of runs) {
    if (!terminal.has(run.status)) {
      violations.run_not_terminal.push(`run ${run.id} (${run.prompt.slice(0, 40)}): ${run.status}`);
      continue;
    }
    const thread = slack.thread(run.channel, run.task.threadTs);
    const answers = thread.filter((message) =>
      [`${run.id}:final`, `${run.id}:stop`].includes(keyOf(message) ?? ""),
    );
    if (answers.length !== 1) {
      violations.run_without_one_final_answer.push(
        `run ${run.id} (${run.status}): ${answers.length} final messages`,
      );
    }
    const indexes = run.steps.map((step) => step.index).sort((a, b) => a - b);
    if (indexes.some((index, position) => index !== position + 1)) {
      violations.step_trace_broken.push(`run ${run.id}: steps ${indexes.join(",")}`);
    }
  }

  // No message posted twice: each post carries its ledger key in the message metadata.
  const threads = new Set(tasks.map((task) => `${task.channel} ${task.threadTs}`));
  for (const thread of threads) {
    const [channel, threadTs] = thread.split(" ") as [string, string];
    const seen = new Map<string, number>();
    for (const message of slack.thread(channel, threadTs)) {
      const key = keyOf(message);
      if (key) seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    for (const [key, count] of seen)
      if (count > 1) violations.duplicate_post.push(`${key} posted ${count} times`);
  }

  // Every side effect exactly once, and the ledger agrees with the outside world.
  for (const [key, count] of observed.effectCounts) {
    if (count !== 1) violations.effect_not_exactly_once.push(`${key}: ${count} times`);
  }
  const effectCalls = toolCalls.filter((call) => effectTools.has(call.tool));
  for (const call of effectCalls) {
    const happened = (observed.effectCounts.get(call.key) ?? 0) > 0;
    if (call.status === "done" && !happened)
      violations.ledger_disagrees.push(`${call.key}: done in the ledger, never at the stand-in`);
    if (call.status === "failed" && happened)
      violations.ledger_disagrees.push(`${call.key}: failed in the ledger, happened at the stand-in`);
  }
  for (const key of observed.effectCounts.keys()) {
    if (!effectCalls.some((call) => call.key === key))
      violations.ledger_disagrees.push(`${key}: at the stand-in, not in the ledger`);
  }
  for (const call of toolCalls) {
    if (call.status === "intent" || call.status === "unknown") {
      violations.ledger_unresolved.push(`${call.key} (${call.tool}): ${call.status}`);
    }
  }

  // A completed task ran exactly its planned effects.
  for (const posted of observed.tasks) {
    const run = runs.find(
      (candidate) => candidate.channel === posted.channel && candidate.triggerTs === posted.ts,
    );
    if (run?.status !== "completed") continue;
    const done = effectCalls
      .filter((call) => call.runId === run.id && call.status === "done")
      .map((call) => Number((call.arguments as { n?: number }).n))
      .sort((a, b) => a - b);
    if (done.join(",") !== posted.plan.effects.join(",")) {
      const results = run.steps
        .filter((step) => step.kind === "tool")
        .map((step) => String((step.data as { content?: string }).content ?? "").slice(0, 80));
      violations.planned_effect_missing.push(
        `task ${posted.plan.index} (run ${run.id}): planned ${posted.plan.effects.join(",")}, done ${done.join(",") || "none"}; tool results: ${results.join(" | ")}`,
      );
    }
  }

  // Every delivered follow-up shows up in a final answer of its thread (the model was given it).
  for (const followUp of observed.followUps) {
    const answered = slack
      .thread(followUp.channel, followUp.threadTs)
      .some((message) => keyOf(message)?.endsWith(":final") && message.text.includes(followUp.marker));
    if (!answered && wasDelivered(followUp.deliveries)) {
      const stored = threadMessages.find(
        (message) => message.channel === followUp.channel && message.ts === followUp.ts,
      );
      const task = tasks.find(
        (candidate) => candidate.channel === followUp.channel && candidate.threadTs === followUp.threadTs,
      );
      const ended = (task?.runs ?? []).map(
        (run) => `${run.status}${run.endedAt ? ` ended ${run.endedAt.toISOString().slice(11, 23)}` : ""}`,
      );
      const state = stored
        ? `stored ${stored.createdAt.toISOString().slice(11, 23)}, ${stored.deliveredToRunId ? "delivered to a run" : "never delivered to a run"}`
        : "never stored";
      const mention = observed.tasks.find((posted) => posted.plan.index === followUp.task);
      const order =
        mention && ackedAt(mention.deliveries) > ackedAt(followUp.deliveries)
          ? "; Slack delivered it before its task's mention was taken"
          : "";
      violations.follow_up_lost.push(
        `${followUp.marker} (${followUp.channel} ${followUp.ts}): ${attempts(followUp.deliveries)}; ${state}; runs: ${ended.join(", ") || "none"}${order}`,
      );
    }
  }

  // An acknowledged Approve click leads to the approved call running once.
  for (const clicks of observed.approvalClicks) {
    const approval = approvals.find((candidate) => candidate.id === clicks.approvalId);
    if (!clicks.acked) continue;
    if (!approval) {
      violations.approval_lost.push(`approval message ${clicks.messageTs}: no approval ${clicks.approvalId}`);
      continue;
    }
    const call = toolCalls.find((candidate) => candidate.key === approval.toolCallKey);
    if (approval.status !== "approved" || call?.status !== "done") {
      violations.approval_lost.push(
        `approval ${approval.id}: ${approval.status}, call ${call?.status ?? "never ran"}`,
      );
    }
  }

  // No committed model step was taken again: after the answer a step holds (`[req N]`), no later
  // request was made for the same run and turn.
  const committed = new Map<string, number>();
  const keyOfRequest = new Map(observed.modelLog.map((record) => [record.index, record.key]));
  for (const run of runs) {
    for (const step of run.steps) {
      if (step.kind !== "model") continue;
      const index = Number(String((step.data as { text?: string }).text ?? "").match(/\[req (\d+)\]/)?.[1]);
      const key = keyOfRequest.get(index);
      if (key !== undefined) committed.set(key, Math.max(index, committed.get(key) ?? -1));
    }
  }
  for (const record of observed.modelLog) {
    const index = committed.get(record.key);
    if (index !== undefined && record.index > index) {
      violations.completed_step_repeated.push(
        `${record.key}: request ${record.index} after step committed from request ${index}`,
      );
    }
  }
  violations.process_crashed.push(...observed.unexpectedExits);

  const count = (values: string[]) => {
    const counts: Record<string, number> = {};
    for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
    return counts;
  };
  const mainRuns = observed.tasks.flatMap((posted) =>
    runs.filter((run) => run.channel === posted.channel && run.triggerTs === posted.ts),
  );
  return {
    violations,
    summary: {
      tasksPosted: observed.tasks.length,
      tasksStarted: mainRuns.length,
      runs: runs.length,
      runsByStatus: count(runs.map((run) => run.status)),
      mainRunsByStatus: count(mainRuns.map((run) => run.status)),
      followUpsPosted: observed.followUps.length,
      followUpsDeliveredAsNewRun: runs.filter((run) => run.prompt.includes("FOLLOWUP-")).length,
      approvalsRequested: approvals.length,
      approvalsApproved: approvals.filter((approval) => approval.status === "approved").length,
      approvalClickAttempts: observed.approvalClicks.reduce((sum, clicks) => sum + clicks.attempts, 0),
      effectsExecuted: [...observed.effectCounts.values()].reduce((sum, value) => sum + value, 0),
      modelRequests: observed.modelLog.length,
      modelAnswers: observed.modelLog.filter((record) => record.outcome === "answered").length,
      steps: runs.reduce((sum, run) => sum + run.steps.length, 0),
      undeliveredBySlack: undelivered,
    },
  };
}

/** When the first delivery of a message was acknowledged (Infinity if none was). */
function ackedAt(deliveries: PostedTask["deliveries"]): number {
  const times = deliveries.flatMap((delivery) =>
    delivery.attempts
      .filter((attempt) => attempt.outcome === "acked")
      .map((attempt) => attempt.startedAt + attempt.durationMs),
  );
  return times.length ? Math.min(...times) : Number.POSITIVE_INFINITY;
}

/** What happened to each delivery of a message, e.g. `app_mention: refused, acked`. */
function attempts(deliveries: PostedTask["deliveries"]): string {
  return deliveries
    .map(
      (delivery) =>
        `${delivery.type}: ${delivery.attempts.map((attempt) => attempt.outcome).join(", ") || delivery.status}`,
    )
    .join("; ");
}

function keyOf(message: Message): string | undefined {
  const key = message.metadata?.event_payload?.key;
  return typeof key === "string" ? key : undefined;
}
