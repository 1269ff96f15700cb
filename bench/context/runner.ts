import { randomUUID } from "node:crypto";
import type { ContextOptions } from "../../src/harness/context.js";
import { executeRun, type HarnessServices, type RunOutcome } from "../../src/harness/loop.js";
import { scriptedModel } from "../../src/harness/model/scripted.js";
import { systemPrompt } from "../../src/harness/prompt.js";
import { createRecordingThread } from "../../src/harness/recording-thread.js";
import { createLogger } from "../../src/logger.js";
import { deriveKey } from "../../src/security/signing.js";
import type { Database } from "../../src/storage/database.js";
import { createDriver, type DriverLog } from "./driver.js";
import { type Measure, measure } from "./metrics.js";
import type { TaskPlan } from "./tasks.js";
import { benchTools } from "./tools.js";

/**
 * Runs one task through the real loop (`executeRun`: checkpoints, ledger, artifacts in Postgres) with
 * the scripted driver as the model, and measures the requests it was sent.
 */
export interface Mode {
  name: string;
  contextWindow?: number;
  contextManagement: Partial<ContextOptions>;
}

const summaryStart = "[Summary of the first ";

export const baselineMode: Mode = { name: "baseline", contextManagement: { enabled: false } };

export interface TaskRun {
  task: string;
  mode: string;
  outcome: RunOutcome;
  answer: string;
  log: DriverLog;
  measure: Measure;
  /** Distinct summaries the model was shown (each one a compaction). */
  compactions: number;
}

export async function runTask(database: Database, task: TaskPlan, mode: Mode): Promise<TaskRun> {
  const { script, log } = createDriver(task);
  const model = scriptedModel(script, { name: "bench" });
  const thread = createRecordingThread();
  const tools = benchTools(task, database);
  const services: HarnessServices = {
    database,
    model,
    toolset: async () => ({ tools: new Map(tools.map((tool) => [tool.name, tool])), policy: {} }),
    thread: async () => thread,
    toolServices: {},
    budgets: { maxSteps: 10_000, maxTokens: Number.MAX_SAFE_INTEGER, maxCostUsd: 1e12, maxWallMs: 3_600_000 },
    logger: createLogger("silent"),
    now: Date.now,
    approvalKey: deriveKey("benchmark-approval-secret-0123456789", "approvals"),
    systemPrompt: () => systemPrompt(),
    contextWindow: mode.contextWindow,
    contextManagement: mode.contextManagement,
  };
  const runId = await createRun(database, task.prompt);
  const outcome = await executeRun(runId, services, new AbortController().signal);
  const run = await database.run.findUniqueOrThrow({ where: { id: runId }, select: { outputTokens: true } });
  const answer = thread.posts.find((post) => post.kind === "final")?.text ?? "";
  const summaries = new Set(
    model.requests.flatMap((request) =>
      request.messages
        .filter((message) => message.content.startsWith(summaryStart))
        .map((message) => message.content),
    ),
  );
  return {
    task: task.name,
    mode: mode.name,
    outcome,
    answer,
    log,
    measure: measure(model.requests, run.outputTokens),
    compactions: summaries.size,
  };
}

async function createRun(database: Database, prompt: string): Promise<string> {
  const workspaceId = "T_BENCH";
  await database.workspace.createMany({ data: [{ id: workspaceId }], skipDuplicates: true });
  const key = randomUUID();
  const task = await database.task.create({
    data: { workspaceId, channel: "C_BENCH", threadTs: key, requesterId: "U_BENCH", source: "mention" },
  });
  const run = await database.run.create({
    data: {
      taskId: task.id,
      workspaceId,
      channel: "C_BENCH",
      triggerTs: key,
      requesterId: "U_BENCH",
      prompt,
    },
  });
  return run.id;
}
