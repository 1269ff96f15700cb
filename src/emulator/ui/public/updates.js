import { toast } from "./dialogs.js";
import * as store from "./state.js";

/**
 * Live updates: every store change the emulator streams (Server-Sent Events) either redraws one
 * message in place (edits, streamed text, reactions) or reloads what it touches, a few changes at
 * a time. `view` has the page's render functions.
 */
export function changeHandler(view) {
  const { state } = store;
  const pending = new Set();
  let timer;

  const schedule = (...kinds) => {
    for (const kind of kinds) pending.add(kind);
    if (timer === undefined) timer = setTimeout(flush, 25);
  };

  async function flush() {
    timer = undefined;
    const kinds = new Set(pending);
    pending.clear();
    try {
      if (kinds.has("directory")) await store.loadDirectory();
      await Promise.all([
        kinds.has("messages") && store.loadMessages(),
        kinds.has("thread") && store.loadThread(),
        kinds.has("ephemerals") && store.loadEphemerals(),
        kinds.has("views") && store.loadViews(),
      ]);
    } catch (error) {
      toast(`Could not refresh: ${error.message}`, "error");
      return;
    }
    if (kinds.has("directory")) view.renderSidebarPart();
    if (["directory", "messages", "ephemerals", "views"].some((kind) => kinds.has(kind))) view.renderMain();
    if (kinds.has("thread") || kinds.has("ephemerals")) view.renderThread();
    if (kinds.has("views")) view.renderModalPart();
  }

  const inThread = (message) =>
    state.thread !== undefined &&
    message.channel === state.thread.channel &&
    (message.ts === state.thread.ts || message.threadTs === state.thread.ts);

  return (change) => {
    if (change.teamId !== undefined && change.teamId !== state.teamId && change.type !== "team_created")
      return;
    switch (change.type) {
      case "message_posted":
      case "message_deleted": {
        const message = change.message;
        if (message.channel === store.currentChannel()) schedule("messages");
        else if (change.type === "message_posted" && message.user !== state.userId) {
          const visible = store.conversation(message.channel)?.members.includes(state.userId);
          if (visible) {
            state.unread.add(message.channel);
            view.renderSidebarPart();
          }
        }
        if (inThread(message)) schedule("thread");
        return;
      }
      case "message_updated":
        view.patchMessage(change.message);
        if (inThread(change.message) && change.message.ts === state.thread.ts) schedule("thread");
        return;
      case "ephemeral_posted":
      case "ephemeral_updated":
      case "ephemeral_deleted":
        if (change.ephemeral.user === state.userId) schedule("ephemerals");
        return;
      case "view_opened":
      case "view_updated":
      case "view_closed":
      case "home_published":
        if (change.view.userId === state.userId) schedule("views");
        return;
      case "assistant_thread_updated":
        if (state.thread?.channel === change.thread.channel && state.thread?.ts === change.thread.threadTs) {
          state.assistant = change.thread;
          view.renderAssistant();
        }
        return;
      default:
        schedule("directory");
    }
  };
}
