import type { Logger } from "../logger.js";
import { redactJson } from "../security/redact.js";
import type { Prisma } from "../storage/database.js";
import { toolDefinitions } from "./definitions.js";
import type { AudienceDirectory } from "./flow.js";
import type { Model, ToolDefinition } from "./model/model.js";
import type { NextStep } from "./next-step.js";
import type { HarnessServices, RunRecord, RunToolset } from "./services.js";
import type { RunState } from "./state.js";
import type { RunThread } from "./thread.js";

/** What one run's steps work on (src/harness/loop.ts builds it; model and tool steps advance it). */
export interface Loop {
  run: RunRecord;
  state: RunState;
  services: HarnessServices;
  toolset: RunToolset;
  thread: RunThread;
  logger: Logger;
  signal: AbortSignal;
  model: Model;
  directory: AudienceDirectory;
}

/** The trace never holds a secret: step data passes through the configured redactor. */
export function traced(services: HarnessServices, data: Prisma.InputJsonValue): Prisma.InputJsonValue {
  return services.redact ? redactJson(data, services.redact) : data;
}

export function definitionsOf(loop: Loop): ToolDefinition[] {
  return toolDefinitions([...loop.toolset.tools.values()]);
}

export function stop(reason: Extract<NextStep, { type: "stop" }>["reason"], detail: string): NextStep {
  return { type: "stop", reason, detail };
}
