import type { Services } from "../services.js";
import type { Tool } from "./tool.js";

/**
 * Every tool the coworker has. Which of them a run is offered is decided per workspace and channel
 * by policy (src/tools/policy.ts).
 */
export function defaultTools(_services: Services): Tool[] {
  return [];
}
