import { createComposer } from "./composer.js";
import { toast } from "./dialogs.js";
import { renderHome } from "./home.js";
import { act, blockContext, mentionable, messageView, navigation, send } from "./interact.js";
import { messageKey, renderMessage } from "./message-view.js";
import { renderModal } from "./modal.js";
import * as store from "./state.js";
import { element } from "./text.js";

/** The conversation pane (or App Home), the thread pane and the modal, drawn from `state`. */
const { state } = store;
const byId = (id) => document.getElementById(id);
const composers = { main: undefined, thread: undefined };

export function renderMain() {
  const channel = store.conversation(store.currentChannel());
  const onHome = state.place.kind === "app" && state.place.tab === "home";
  const title =
    state.place.kind === "app"
      ? state.app.name
      : `${channel?.kind === "group" ? "🔒" : "#"} ${channel?.name ?? ""}`;
  byId("conversation-title").textContent = title;
  byId("conversation-topic").textContent = channel?.topic || channel?.purpose || "";
  const tabs = byId("tabs");
  tabs.replaceChildren(
    ...(state.place.kind === "app"
      ? ["home", "messages"].map((tab) =>
          element("button", {
            type: "button",
            role: "tab",
            className: `tab${state.place.tab === tab ? " active" : ""}`,
            "aria-selected": String(state.place.tab === tab),
            text: tab === "home" ? "Home" : "Messages",
            onclick: () => navigation.go({ kind: "app", tab }),
          }),
        )
      : []),
    ...(state.place.kind === "app"
      ? [
          element("button", {
            type: "button",
            className: "new-chat",
            title: "Start an assistant thread, as from Slack's AI app pane",
            text: "＋ New chat",
            onclick: () => startAssistantThread(),
          }),
        ]
      : []),
  );
  byId("home").hidden = !onHome;
  byId("message-list").hidden = onHome;
  byId("composer-slot").hidden = onHome;
  if (onHome) {
    byId("home").replaceChildren(
      renderHome(state.home, blockContext({ viewId: state.home?.id }), state.app.name),
    );
    return;
  }
  const items = [
    ...state.messages,
    ...state.ephemerals.filter((item) => item.channel === channel?.id && !item.threadTs),
  ].sort((left, right) => Number(left.ts) - Number(right.ts));
  const intro = element(
    "div",
    { className: "channel-intro" },
    element("h2", {
      text:
        state.place.kind === "app"
          ? `This is your DM with ${state.app.name}`
          : `This is the very beginning of ${title.replace(" ", "")}`,
    }),
  );
  fill(byId("message-list"), [intro, ...items.map((message) => renderMessage(message, messageView))]);
  const key = `${state.teamId}:${state.userId}:${channel?.id}`;
  if (!channel) {
    // The conversation is still loading: no box, so nothing typed meanwhile goes to the previous one.
    composers.main = undefined;
    byId("composer-slot").replaceChildren();
  } else if (composers.main?.key !== key) {
    const placeholder =
      state.place.kind === "app" ? `Message ${state.app.name}` : `Message ${title.replace(" ", "")}`;
    composers.main = {
      key,
      ...createComposer({
        placeholder,
        people: () => mentionable(),
        send: (text) => send(text, { channel: channel.id }),
      }),
    };
    byId("composer-slot").replaceChildren(composers.main.root);
  }
}

/** A new assistant (AI app) thread in the DM, with the last channel looked at as context. */
async function startAssistantThread() {
  const started = await act("assistant-thread", { contextChannel: state.lastChannel }).catch(() => undefined);
  if (!started) return;
  await navigation.go({ kind: "app", tab: "messages" }, { channel: started.channel, ts: started.threadTs });
}

export function renderThread() {
  const pane = byId("thread-pane");
  pane.hidden = !state.thread;
  if (!state.thread) return;
  const { channel, ts } = state.thread;
  const [parent, ...replies] = state.threadMessages;
  const extra = state.ephemerals.filter((item) => item.channel === channel && item.threadTs === ts);
  const rest = [...replies, ...extra].sort((left, right) => Number(left.ts) - Number(right.ts));
  byId("thread-channel").textContent = store.names.channel(channel) ? `#${store.names.channel(channel)}` : "";
  const divider = element("div", {
    className: "thread-divider",
    text: `${replies.length} ${replies.length === 1 ? "reply" : "replies"}`,
  });
  fill(byId("thread-list"), [
    ...(parent ? [renderMessage(parent, messageView, { inThread: true }), divider] : []),
    ...rest.map((message) => renderMessage(message, messageView, { inThread: true })),
  ]);
  renderAssistant();
  const key = `${state.teamId}:${state.userId}:${channel}:${ts}`;
  if (composers.thread?.key !== key) {
    composers.thread = {
      key,
      ...createComposer({
        placeholder: "Reply…",
        people: () => mentionable(),
        send: (text) => send(text, { channel, threadTs: ts }),
      }),
    };
    byId("thread-composer-slot").replaceChildren(composers.thread.root);
  }
}

/** An assistant (AI app) thread's "is thinking…" status and suggested prompts. */
export function renderAssistant() {
  const assistant = state.assistant;
  const prompts = assistant?.prompts?.prompts ?? [];
  byId("assistant-status").replaceChildren(
    ...(assistant?.status
      ? [element("div", { className: "assistant-status", text: `${state.app.name} ${assistant.status}` })]
      : []),
    ...prompts.map((prompt) =>
      element("button", {
        type: "button",
        className: "prompt-chip",
        text: prompt.title,
        onclick: () => send(prompt.message, { channel: state.thread.channel, threadTs: state.thread.ts }),
      }),
    ),
  );
}

export function renderModalPart() {
  const root = byId("modal-root");
  const top = state.modals.at(-1);
  const shown = root.firstElementChild;
  // Redrawn only when the view changed (new content or errors), so typed values survive other updates.
  const version = top ? `${top.id}:${top.hash}:${top.updated}:${JSON.stringify(top.errors ?? {})}` : "";
  if (shown && shown.dataset.version === version) return;
  shown?.remove();
  if (!top) return;
  const dialog = renderModal(top, blockContext({ viewId: top.id }), {
    submit: async (view, values) => {
      const result = await act("submit", { viewId: view.id, values }).catch(() => undefined);
      if (result && !result.acked)
        toast("The app did not acknowledge the submission within 3 seconds.", "error");
    },
    close: (view) => act("close", { viewId: view.id }).catch(() => {}),
  });
  dialog.dataset.version = version;
  root.append(dialog);
  dialog.showModal();
}

/** Replaces a list's content, staying at the bottom if it was there (new messages come in below). */
function fill(list, nodes) {
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 60;
  list.replaceChildren(...nodes);
  if (atBottom) list.scrollTop = list.scrollHeight;
}

/** Redraws one message where it is shown (edits, streamed text, reactions). */
export function patchMessage(message) {
  const replace = (list) => {
    const index = list.findIndex((item) => item.channel === message.channel && item.ts === message.ts);
    if (index !== -1) list[index] = message;
  };
  replace(state.messages);
  replace(state.threadMessages);
  for (const [listId, inThread] of [
    ["message-list", false],
    ["thread-list", true],
  ]) {
    const shown = byId(listId).querySelector(`[data-key="${CSS.escape(messageKey(message))}"]`);
    shown?.replaceWith(renderMessage(message, messageView, { inThread }));
  }
}
