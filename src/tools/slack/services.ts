import { CodedError } from "../../errors.js";
import type { SlackClient, SlackClients } from "../../slack/clients.js";
import type { Database } from "../../storage/database.js";
import type { ToolContext } from "../tool.js";

/**
 * The services Slack and memory tools read from `context.services`, typed: the worker passes the
 * workspace's Slack clients and the database (src/roles/worker.ts `toolServices`).
 */
declare module "../tool.js" {
  interface ToolServices {
    /** Web API clients per workspace. */
    slack?: SlackClients;
    database?: Database;
  }
}

/** The Web API client of the run's workspace. */
export async function slackClientOf(context: ToolContext): Promise<SlackClient> {
  const clients = context.services.slack;
  if (!clients) throw new CodedError("tool_failed", "Slack is not available to tools here");
  return clients.forWorkspace(context.workspaceId);
}

export function databaseOf(context: ToolContext): Database {
  const database = context.services.database;
  if (!database) throw new CodedError("tool_failed", "the database is not available to tools here");
  return database;
}
