import type { EmulatorCore } from "./core.js";
import type { EventSend } from "./delivery/deliverer.js";
import { publishMessageChanged, publishMessageDeleted, publishMessagePosted } from "./events/publish.js";
import type { NewMessage } from "./state/message-log.js";
import type { Message } from "./state/types.js";

export interface PostInput extends Omit<NewMessage, "ts" | "threadTs" | "orphan"> {
  /** The `thread_ts` the poster gave, resolved here as Slack resolves it. */
  threadTs?: string;
}

export interface Posted {
  message: Message;
  /** Events sent to the app because of this message. */
  sends: EventSend[];
}

/**
 * Stores a new message and sends the app the events Slack would. A `thread_ts` naming a reply is
 * filed in that reply's thread; one naming no message gives an "orphan" Slack accepts but never
 * shows. Both are recorded as notices, since the app most likely meant something else.
 */
export function postMessage(core: EmulatorCore, input: PostInput, method: string): Posted {
  let threadTs = input.threadTs;
  let orphan = false;
  if (threadTs !== undefined) {
    const target = core.store.messages.threadTarget(input.channel, threadTs);
    if (target.kind === "reply") {
      core.store.activity.notice({
        code: "thread_ts_is_reply",
        method,
        detail: `thread_ts ${threadTs} in ${input.channel} is a reply; the message went to thread ${target.parent.ts}`,
        at: core.now(),
      });
      threadTs = target.parent.ts;
    } else if (target.kind === "missing") {
      core.store.activity.notice({
        code: "thread_ts_not_found",
        method,
        detail: `thread_ts ${threadTs} matches no message in ${input.channel}; Slack accepts it but nobody sees it`,
        at: core.now(),
      });
      orphan = true;
    }
  }
  const message = core.store.messages.add({ ...input, ts: core.timestamps.next(), threadTs, orphan });
  if (message.botId && message.threadTs) clearAssistantStatus(core, message);
  return { message, sends: publishMessagePosted(core, message) };
}

/** Changes a message and sends `message_changed`. */
export function updateMessage(core: EmulatorCore, message: Message, changes: Partial<Message>): EventSend[] {
  const previous = { ...message };
  core.store.messages.update(message, changes);
  return publishMessageChanged(core, message, previous);
}

/** Deletes a message and sends `message_deleted` (a parent with replies becomes a tombstone). */
export function deleteMessage(core: EmulatorCore, message: Message): EventSend[] {
  const snapshot = { ...message };
  core.store.messages.remove(message);
  if (message.subtype === "tombstone") return publishMessageChanged(core, message, snapshot);
  return publishMessageDeleted(core, snapshot);
}

/** A bot reply in an assistant thread clears its "is thinking…" status, as on Slack. */
function clearAssistantStatus(core: EmulatorCore, message: Message): void {
  const thread = core.store.assistantThread(message.channel, message.threadTs as string);
  if (thread?.status) {
    core.store.updateAssistantThread(thread, {
      status: undefined,
      loadingMessages: undefined,
      statusSetAt: undefined,
    });
  }
}
