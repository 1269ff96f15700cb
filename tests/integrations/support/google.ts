import { randomUUID } from "node:crypto";
import { linkId } from "../../../src/integrations/google/connect-link.js";
import { type GoogleFeature, scopesOfFeatures } from "../../../src/integrations/google/scopes.js";
import { createLogger } from "../../../src/logger.js";
import { googleTools } from "../../../src/tools/google/index.js";
import type { Tool, ToolContext, ToolResult } from "../../../src/tools/tool.js";
import type { IntegrationStack } from "./stack.js";

/** Connects a Slack user's Google account the way a person does: the connect link, in a browser. */
export async function connectGoogle(
  stack: IntegrationStack,
  userId: string,
  email: string,
  features: GoogleFeature[] = ["mail", "calendar", "drive", "sheets"],
): Promise<void> {
  stack.google.signInAs(email);
  const link = await stack.integration.connectLink({
    workspaceId: stack.slack.teamId,
    userId,
    scopes: scopesOfFeatures(features),
  });
  const visit = await (await stack.browserAs(userId)).connect(link);
  if (visit.status !== 200 || !visit.body.includes("is connected")) {
    throw new Error(`connecting ${email} failed: ${visit.status} ${visit.body}`);
  }
}

/** The ConnectLink row a connect link names (the link itself carries only a random token). */
export function connectLinkRecord(stack: Pick<IntegrationStack, "database">, link: string) {
  return stack.database.connectLink.findUniqueOrThrow({
    where: { id: linkId(new URL(link).searchParams.get("link") ?? "") },
  });
}

export function toolContext(
  stack: IntegrationStack,
  userId: string,
  overrides: Partial<ToolContext> = {},
): ToolContext {
  const runId = overrides.runId ?? randomUUID();
  return {
    workspaceId: stack.slack.teamId,
    userId,
    channel: stack.slack.channels.general.id,
    threadTs: "1700000000.000100",
    runId,
    idempotencyKey: `${runId}:1:call_${randomUUID().slice(0, 8)}`,
    logger: createLogger("silent"),
    signal: new AbortController().signal,
    services: {},
    ...overrides,
  };
}

export function toolNamed(stack: IntegrationStack, name: string): Tool {
  const tool = googleTools(stack.integration).find((item) => item.name === name);
  if (!tool) throw new Error(`no tool ${name}`);
  return tool;
}

/** Validates the input as the harness does, then runs the tool. */
export async function runTool(
  stack: IntegrationStack,
  name: string,
  input: Record<string, unknown>,
  context: ToolContext,
): Promise<ToolResult> {
  const tool = toolNamed(stack, name);
  return tool.execute(tool.input.parse(input), context);
}
