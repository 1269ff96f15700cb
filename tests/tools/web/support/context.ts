import { createLogger } from "../../../../src/logger.js";
import type { ToolContext } from "../../../../src/tools/tool.js";

export function testContext(signal: AbortSignal = new AbortController().signal): ToolContext {
  return {
    workspaceId: "T-web",
    userId: "U-web",
    channel: "C-web",
    threadTs: "1700000000.000100",
    runId: "run-web",
    idempotencyKey: "run-web:1:call-1",
    logger: createLogger("silent"),
    signal,
    services: {},
  };
}
