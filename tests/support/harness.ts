import { randomUUID } from "node:crypto";
import type { AudienceDirectory, ConversationFacts } from "../../src/harness/flow.js";
import { executeRun, type HarnessServices, type RunOutcome } from "../../src/harness/loop.js";
import type { Model } from "../../src/harness/model/model.js";
import { createRecordingThread, type RecordingThread } from "../../src/harness/recording-thread.js";
import { createLogger } from "../../src/logger.js";
import { deriveKey } from "../../src/security/signing.js";
import type { Database } from "../../src/storage/database.js";
import type { Policy } from "../../src/tools/policy.js";
import type { Tool, ToolServices } from "../../src/tools/tool.js";

/**
 * The harness loop on a real database with a scripted (or any) model and an in-memory thread: for
 * tests of the loop itself, without Slack or queues.
 */
export interface TestHarness {
  services: HarnessServices;
  thread: RecordingThread;
  createRun(prompt: string, options?: { requesterId?: string; channel?: string }): Promise<string>;
  execute(runId: string, signal?: AbortSignal): Promise<RunOutcome>;
  /** Alice writes `text` in the run's thread, after the message that started it. */
  replyInThread(runId: string, text: string): Promise<void>;
}

export function createTestHarness(
  database: Database,
  options: {
    model: Model | undefined;
    tools?: Tool[];
    policy?: Omit<Policy, "channels">;
    budgets?: Partial<HarnessServices["budgets"]>;
    toolServices?: ToolServices;
    now?: () => number;
    price?: HarnessServices["price"];
    /** Who is in which conversation; default: each run's channel is private to its requester. */
    directory?: AudienceDirectory;
  },
): TestHarness {
  const thread = createRecordingThread();
  const conversations = new Map<string, { facts: ConversationFacts; members: string[] }>();
  const directory: AudienceDirectory = options.directory ?? {
    conversation: async (id) => conversations.get(id)?.facts,
    members: async (id) => conversations.get(id)?.members ?? [],
  };
  const services: HarnessServices = {
    database,
    model: options.model,
    toolset: async () => ({
      tools: new Map((options.tools ?? []).map((tool) => [tool.name, tool])),
      policy: options.policy ?? {},
    }),
    thread: async () => thread,
    directory: async () => directory,
    toolServices: options.toolServices ?? {},
    budgets: {
      maxSteps: 40,
      maxTokens: 10_000_000,
      maxCostUsd: 100,
      maxWallMs: 3_600_000,
      ...options.budgets,
    },
    logger: createLogger("silent"),
    now: options.now ?? Date.now,
    price: options.price,
    approvalKey: deriveKey("test-secret-for-approvals-0123456789", "approvals"),
    systemPrompt: () => "You are a test assistant.",
  };
  let counter = 0;
  return {
    services,
    thread,
    async createRun(prompt, runOptions = {}) {
      const workspaceId = "T_TEST";
      await database.workspace.upsert({
        where: { id: workspaceId },
        update: {},
        create: { id: workspaceId },
      });
      const ts = `${Date.now() / 1000}${counter++}`;
      const channel = runOptions.channel ?? "C_TEST";
      const requesterId = runOptions.requesterId ?? "U_ALICE";
      if (!conversations.has(channel)) {
        conversations.set(channel, {
          facts: { id: channel, kind: "private", shared: false, name: `#${channel.toLowerCase()}` },
          members: [requesterId],
        });
      }
      const task = await database.task.create({
        data: {
          workspaceId,
          channel,
          threadTs: `${ts}-${randomUUID()}`,
          requesterId: runOptions.requesterId ?? "U_ALICE",
          source: "mention",
        },
      });
      const run = await database.run.create({
        data: {
          taskId: task.id,
          workspaceId,
          channel,
          triggerTs: `${ts}-${randomUUID()}`,
          requesterId: task.requesterId,
          prompt,
        },
      });
      return run.id;
    },
    execute(runId, signal = new AbortController().signal) {
      return executeRun(runId, services, signal);
    },
    async replyInThread(runId, text) {
      const run = await database.run.findUniqueOrThrow({ where: { id: runId }, include: { task: true } });
      await database.threadMessage.create({
        data: {
          workspaceId: run.workspaceId,
          channel: run.channel,
          threadTs: run.task.threadTs,
          ts: `${run.triggerTs}9`,
          userId: "U_ALICE",
          text,
        },
      });
    },
  };
}
