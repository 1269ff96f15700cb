import { isTimestamp } from "../../clock.js";
import { conversationFor } from "../conversation-access.js";
import { authOf, type MethodCall, type MethodDefinition } from "../definition.js";
import { SlackMethodError } from "../method-error.js";

/** The thread an assistant.threads.* call names: the channel must be visible, the ts a message. */
function assistantThreadKey(call: MethodCall, options: { threadRequired: boolean }) {
  const auth = authOf(call);
  const conversation = conversationFor(call.core, auth, call.args.requiredString("channel_id"), {
    requireMember: true,
  });
  const threadTs = options.threadRequired
    ? call.args.requiredString("thread_ts")
    : call.args.string("thread_ts");
  if (threadTs !== undefined) {
    if (!isTimestamp(threadTs) || !call.core.store.messages.find(conversation.id, threadTs)) {
      throw new SlackMethodError("invalid_thread_ts");
    }
  }
  return { teamId: auth.team.id, channel: conversation.id, threadTs: threadTs ?? "" };
}

function stringList(call: MethodCall, name: string): string[] | undefined {
  const value = call.args.json(name, "invalid_arguments");
  if (value === undefined) return undefined;
  if (!Array.isArray(value))
    throw new SlackMethodError("invalid_arguments", [`[ERROR] ${name} must be an array`]);
  return value.map(String);
}

export const assistantMethods: MethodDefinition[] = [
  {
    name: "assistant.threads.setStatus",
    handle(call) {
      const key = assistantThreadKey(call, { threadRequired: true });
      const status = call.args.string("status") ?? "";
      if (!("status" in call.args.raw))
        throw new SlackMethodError("invalid_arguments", ["[ERROR] missing required field: status"]);
      const loadingMessages = stringList(call, "loading_messages");
      if (loadingMessages && loadingMessages.length > 10) {
        throw new SlackMethodError("invalid_arguments", [
          "[ERROR] no more than 10 items allowed [json-pointer:/loading_messages]",
        ]);
      }
      call.core.store.updateAssistantThread(key, {
        status: status === "" ? undefined : status,
        loadingMessages: status === "" ? undefined : loadingMessages,
        statusSetAt: status === "" ? undefined : call.core.now(),
      });
      return {};
    },
  },
  {
    name: "assistant.threads.setTitle",
    handle(call) {
      const key = assistantThreadKey(call, { threadRequired: true });
      const title = call.args.requiredString("title");
      call.core.store.updateAssistantThread(key, { title });
      const parent = call.core.store.messages.find(key.channel, key.threadTs);
      if (parent?.assistantThread) call.core.store.messages.update(parent, { assistantThread: { title } });
      return {};
    },
  },
  {
    name: "assistant.threads.setSuggestedPrompts",
    handle(call) {
      const key = assistantThreadKey(call, { threadRequired: false });
      const prompts = call.args.json("prompts", "invalid_arguments");
      if (!Array.isArray(prompts) || prompts.length === 0) {
        throw new SlackMethodError("invalid_arguments", ["[ERROR] missing required field: prompts"]);
      }
      if (prompts.length > 4) {
        throw new SlackMethodError("invalid_arguments", [
          "[ERROR] no more than 4 items allowed [json-pointer:/prompts]",
        ]);
      }
      const parsed = prompts.map((prompt, index) => {
        const { title, message } = (prompt ?? {}) as { title?: unknown; message?: unknown };
        if (typeof title !== "string" || typeof message !== "string") {
          throw new SlackMethodError("invalid_arguments", [
            `[ERROR] title and message are required [json-pointer:/prompts/${index}]`,
          ]);
        }
        return { title, message };
      });
      call.core.store.updateAssistantThread(key, {
        prompts: { title: call.args.string("title"), prompts: parsed },
      });
      return {};
    },
  },
];
