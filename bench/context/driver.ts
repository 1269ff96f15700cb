import { artifactHandle } from "../../src/harness/artifacts.js";
import type { Message, ModelRequest } from "../../src/harness/model/model.js";
import type { Script, ScriptedReply, ScriptedToolCall } from "../../src/harness/model/scripted.js";
import type { Call, Checkpoint, TaskPlan } from "./tasks.js";
import { outputKey } from "./tasks.js";

/**
 * The scripted model of the benchmark. It plays the task's calls in order. At a checkpoint it reads
 * the prompt it was actually sent: if the fact is visible it proceeds; if only a reload handle is
 * visible (the artifact handle of a clipped output, or the id of the call whose output was hidden) it
 * calls read_artifact and looks at what came back (one extra turn; the final checks share one turn of
 * parallel reloads); otherwise the fact is lost and it makes the wrong move (a decoy id, the refused
 * deploy again, a wrong answer).
 */
export type Retrieval = "visible" | "reloaded" | "lost";

export interface DriverLog {
  checkpoints: Array<{ name: string; scored: boolean; retrieval: Retrieval }>;
  /** read_artifact calls made. */
  reloads: number;
  /** Model turns spent on reloading. */
  extraTurns: number;
  /** Whether the plan stated in the first turn was still in view at the final answer. */
  planKept: boolean | undefined;
}

export function createDriver(task: TaskPlan): { script: Script; log: DriverLog } {
  const log: DriverLog = { checkpoints: [], reloads: 0, extraTurns: 0, planKept: undefined };
  let next = 0;
  /** Checkpoints waiting for the result of a reload, by the reload's call id. */
  let reloading = new Map<string, Checkpoint>();
  const record = (checkpoint: Checkpoint, retrieval: Retrieval) => {
    log.checkpoints.push({ name: checkpoint.name, scored: checkpoint.scored, retrieval });
    return retrieval !== "lost";
  };
  const reload = (checkpoint: Checkpoint, handle: ReloadHandle): ScriptedToolCall => {
    log.reloads += 1;
    const id = `reload_${log.reloads}`;
    reloading.set(id, checkpoint);
    return { id, name: "read_artifact", arguments: { ...handle, find: checkpoint.find } };
  };

  const script: Script = (request, turn) => {
    const reloaded = settleReloads(request, reloading, record);
    reloading = new Map();
    const action = task.actions[next];
    if (!action) return finalTurn(request, reloaded);
    if ("call" in action) {
      next += 1;
      const reply = callReply(action.call);
      return turn === 0 ? { ...reply, text: task.plan } : reply;
    }
    const { checkpoint, found, lost } = action.decision;
    if (reloaded.has(checkpoint)) {
      next += 1;
      return callReply(reloaded.get(checkpoint) ? found : lost);
    }
    if (visible(request.messages, checkpoint.fact)) {
      next += 1;
      record(checkpoint, "visible");
      return callReply(found);
    }
    const handle = reloadHandle(task, checkpoint, request.messages);
    if (!handle) {
      next += 1;
      record(checkpoint, "lost");
      return callReply(lost);
    }
    log.extraTurns += 1;
    return { toolCalls: [reload(checkpoint, handle)] };
  };

  let finalReloadsMade = false;
  function finalTurn(request: ModelRequest, reloaded: Map<Checkpoint, boolean>): ScriptedReply {
    const outcome = new Map<Checkpoint, Retrieval>();
    const reloads: ScriptedToolCall[] = [];
    for (const { checkpoint } of task.final) {
      if (reloaded.has(checkpoint)) continue;
      if (visible(request.messages, checkpoint.fact)) {
        outcome.set(checkpoint, "visible");
        continue;
      }
      const handle = finalReloadsMade ? undefined : reloadHandle(task, checkpoint, request.messages);
      if (handle) reloads.push(reload(checkpoint, handle));
      else outcome.set(checkpoint, "lost");
    }
    if (reloads.length > 0) {
      // One turn of parallel reloads; the other facts are looked at again in the answering turn.
      finalReloadsMade = true;
      log.extraTurns += 1;
      return { toolCalls: reloads };
    }
    for (const [checkpoint, retrieval] of outcome) record(checkpoint, retrieval);
    log.planKept = visible(request.messages, task.plan);
    const known = (checkpoint: Checkpoint) => reloaded.get(checkpoint) ?? outcome.get(checkpoint) !== "lost";
    return {
      text: task.final.map((item) => (known(item.checkpoint) ? item.answer : item.wrongAnswer)).join("\n"),
    };
  }

  return { script, log };
}

type ReloadHandle = { artifactId: string } | { toolCallId: string };

/** Which reloads came back with their fact (records each), from the tool results of the request. */
function settleReloads(
  request: ModelRequest,
  reloading: Map<string, Checkpoint>,
  record: (checkpoint: Checkpoint, retrieval: Retrieval) => boolean,
): Map<Checkpoint, boolean> {
  const settled = new Map<Checkpoint, boolean>();
  for (const [id, checkpoint] of reloading) {
    const result = request.messages.findLast(
      (message) => message.role === "tool" && message.toolCallId === id,
    );
    const found = result?.content.includes(checkpoint.fact) ?? false;
    settled.set(checkpoint, record(checkpoint, found ? "reloaded" : "lost"));
  }
  return settled;
}

function callReply(call: Call): ScriptedReply {
  return { toolCalls: [{ id: call.id, name: call.name, arguments: call.arguments }] };
}

function visible(messages: Message[], text: string): boolean {
  return messages.some((message) => message.content.includes(text));
}

/** The handle a reload would use, if the prompt shows one for the checkpoint's source call. */
function reloadHandle(task: TaskPlan, checkpoint: Checkpoint, messages: Message[]): ReloadHandle | undefined {
  if (!checkpoint.source) return undefined;
  const source = task.actions.find((action) => "call" in action && action.call.id === checkpoint.source);
  if (source && "call" in source) {
    const output = task.outputs.get(outputKey(source.call.name, source.call.arguments));
    const handle = output ? artifactHandle(output.content) : undefined;
    if (handle && visible(messages, handle)) return { artifactId: handle };
  }
  const mention = new RegExp(`\\b${checkpoint.source}\\b`);
  const shown = messages.some(
    (message) =>
      mention.test(message.content) ||
      (message.role === "assistant" && message.toolCalls?.some((call) => call.id === checkpoint.source)),
  );
  return shown ? { toolCallId: checkpoint.source } : undefined;
}
