import { type SlackEmulator, startSlackEmulator } from "../../../src/emulator/index.js";
import { createLogger } from "../../../src/logger.js";
import { createSlackClients, type SlackClients } from "../../../src/slack/clients.js";
import type { Database } from "../../../src/storage/database.js";
import type { Tool, ToolContext, ToolResult } from "../../../src/tools/tool.js";
import { testDatabase } from "../../support/stack.js";

/**
 * The Slack tools' world: the Slack emulator, a real WebClient per workspace (createSlackClients) and
 * a fresh Postgres database for the stored message log.
 */
export interface SlackToolStack {
  slack: SlackEmulator;
  database: Database;
  clients: SlackClients;
  /** A run asked by `user` (default alice) in `channel` (default #general), thread `threadTs`. */
  context(overrides?: Partial<Omit<ToolContext, "services" | "logger" | "signal">>): ToolContext;
  close(): Promise<void>;
}

export async function startSlackToolStack(): Promise<SlackToolStack> {
  const slack = await startSlackEmulator();
  const { database } = await testDatabase();
  const clients = createSlackClients({ apiUrl: slack.apiUrl, botToken: slack.botToken, database });
  return {
    slack,
    database,
    clients,
    context: (overrides = {}) => ({
      workspaceId: slack.teamId,
      userId: slack.users.alice.id,
      channel: slack.channels.general.id,
      threadTs: "1700000000.000100",
      runId: "run-slack-tools",
      idempotencyKey: "run-slack-tools:1:call-1",
      logger: createLogger("silent"),
      signal: new AbortController().signal,
      services: { slack: clients, database },
      ...overrides,
    }),
    async close() {
      await database.$disconnect();
      await slack.close();
    },
  };
}

/** Validates `input` with the tool's schema (as the harness does) and runs it. */
export async function call<Input>(
  tool: Tool<Input>,
  input: unknown,
  context: ToolContext,
): Promise<ToolResult> {
  return tool.execute(tool.input.parse(input), context);
}
