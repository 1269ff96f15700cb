import { z } from "zod";
import type { Tool, ToolResult } from "../tools/tool.js";
import type { RecordedToolCall, Recording } from "./recording.js";

/**
 * The tools of a replay: the current definitions (schema, risk, output limit: the behaviour under
 * test) whose `execute` returns what the recorded call returned, found by the call's id. Tools named
 * in `live` run for real instead. A recorded tool missing from `current` gets a stand-in built from
 * the recording (any object as input; risk and output limit as recorded, or "write" when it needed an
 * approval).
 */
export interface ReplayToolEvents {
  /** A call the recording has no result for (it was never made, or was interrupted). */
  unrecorded(tool: string, callId: string, reason: string): void;
}

export function replayTools(
  recording: Recording,
  current: readonly Tool[],
  options: { live?: readonly string[]; events: ReplayToolEvents },
): { tools: Tool[]; standIns: string[] } {
  const byName = new Map(current.map((tool) => [tool.name, tool]));
  const standIns: string[] = [];
  for (const name of new Set(recording.toolCalls.map((call) => call.tool))) {
    if (byName.has(name)) continue;
    byName.set(name, standIn(name, recording));
    standIns.push(name);
  }
  const used = new Map<string, number>();
  const tools = [...byName.values()].map((tool): Tool => {
    if (options.live?.includes(tool.name) && !standIns.includes(tool.name)) return tool;
    const { reconcile: _reconcile, ...rest } = tool;
    return {
      ...rest,
      async execute(_input, context) {
        const callId = context.idempotencyKey.split(":").slice(2).join(":");
        const candidates = recording.toolCalls.filter(
          (call) => call.callId === callId && call.tool === tool.name,
        );
        const seen = used.get(`${tool.name}:${callId}`) ?? 0;
        used.set(`${tool.name}:${callId}`, seen + 1);
        const recorded = candidates[seen] ?? candidates.at(-1);
        if (!recorded) {
          options.events.unrecorded(tool.name, callId, "the recorded run never ran this call");
          return {
            content: `(replay: the recorded run has no result for ${tool.name} call ${callId})`,
            isError: true,
          };
        }
        return resultOf(recorded, options.events);
      },
    };
  });
  return { tools, standIns };
}

function resultOf(recorded: RecordedToolCall, events: ReplayToolEvents): ToolResult {
  const result = (recorded.result ?? {}) as {
    content?: unknown;
    untrusted?: unknown;
    isError?: unknown;
    error?: unknown;
  };
  if (recorded.status === "failed")
    throw new Error(typeof result.error === "string" ? result.error : "unknown error");
  if (recorded.status !== "done" || typeof result.content !== "string") {
    events.unrecorded(
      recorded.tool,
      recorded.callId,
      `the recorded call has no result (status ${recorded.status})`,
    );
    throw new Error(`replay: the recorded call has no result (status ${recorded.status})`);
  }
  return { content: result.content, untrusted: result.untrusted === true, isError: result.isError === true };
}

function standIn(name: string, recording: Recording): Tool {
  const known = recording.tools.find((tool) => tool.name === name);
  const approved = recording.approvals.some((approval) => approval.tool === name);
  return {
    name,
    description: `Stand-in for ${name} (replay).`,
    input: z.record(z.string(), z.unknown()) as z.ZodType<unknown>,
    risk: known?.risk ?? (approved ? "write" : "read"),
    confined: known?.confined ?? false,
    timeoutMs: known?.timeoutMs ?? 60_000,
    outputLimit: known?.outputLimit ?? 1_000_000,
    async execute() {
      return { content: "", isError: true };
    },
  };
}
