import type { Message, ModelRequest } from "./model.js";
import type { Script, ScriptedReply, ScriptedToolCall } from "./scripted.js";
import { promptText } from "./scripted.js";

/** Building blocks for scripts given to `scriptedModel`. */

export function textReply(text: string): ScriptedReply {
  return { text };
}

export function toolCallReply(
  name: string,
  input: ScriptedToolCall["arguments"],
  options: { text?: string; id?: string } = {},
): ScriptedReply {
  return { text: options.text, toolCalls: [{ id: options.id, name, arguments: input }] };
}

/**
 * Plays the steps in order: turn N uses step N, a fixed reply or a script of its own. Running past the
 * end throws, so a harness that calls the model more often than expected fails loudly.
 */
export function inOrder(...steps: Array<ScriptedReply | Script>): Script {
  return (request, turn) => {
    const step = steps[turn];
    if (step === undefined) {
      throw new Error(
        `The script has ${steps.length} replies, but the model was called again (turn ${turn}).`,
      );
    }
    return typeof step === "function" ? step(request, turn) : step;
  };
}

/** The same reply on every turn (e.g. a model stuck calling one tool). */
export function always(reply: ScriptedReply): Script {
  return () => reply;
}

/** Whether `needle` appears anywhere in what the model was shown (tools and messages). */
export function promptIncludes(request: ModelRequest, needle: string): boolean {
  return (
    request.messages.some((message) => message.content.includes(needle)) ||
    promptText(request).includes(needle)
  );
}

export type ToolMessage = Extract<Message, { role: "tool" }>;

export function lastToolResult(request: ModelRequest): ToolMessage | undefined {
  return request.messages.findLast((message): message is ToolMessage => message.role === "tool");
}

export function lastUserMessage(request: ModelRequest): string | undefined {
  return request.messages.findLast((message) => message.role === "user")?.content;
}
