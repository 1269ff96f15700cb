import { api } from "./api.js";
import { toast } from "./dialogs.js";
import * as store from "./state.js";

/**
 * Talking to the app through the emulator: every action is the current person's (`state.userId`),
 * and failures (a refused action, an app that does not ack in time) are shown as toasts.
 * `navigation` is filled in by app.js (opening a thread, going to a place).
 */
const { state } = store;
export const navigation = { go: async () => {}, openThread: async () => {} };

const hues = 8;
export function author(message) {
  if (message.botId) {
    const name = message.display?.username ?? state.app.name;
    return { name, initials: name.slice(0, 1).toUpperCase(), hue: "app", isApp: true };
  }
  const user = store.person(message.user);
  const name = user?.realName ?? message.user ?? "Someone";
  const hash = [...(message.user ?? "")].reduce((sum, char) => sum + char.charCodeAt(0), 0);
  const initials = name
    .split(/\s+/)
    .map((part) => part.slice(0, 1))
    .join("")
    .slice(0, 2)
    .toUpperCase();
  return { name, initials, hue: hash % hues, isApp: false };
}

/** What blocks need: names, people and channels for selects, and where an element's action goes. */
export function blockContext(target) {
  return {
    names: store.names,
    users: store.people().filter((user) => !user.deleted),
    conversations: store.conversations().filter((item) => item.kind !== "im"),
    act: (definition, blockId, value) => click({ actionId: definition.action_id, blockId, value, ...target }),
  };
}

export const messageView = {
  author,
  names: store.names,
  get me() {
    return state.userId;
  },
  blockContext: (message) => blockContext({ channel: message.channel, messageTs: message.ts }),
  openThread: (message) => navigation.openThread(message.channel, message.threadTs ?? message.ts),
  react: (message, name, remove) =>
    act("react", { channel: message.channel, ts: message.ts, name, remove }).catch(() => {}),
};

export async function act(action, body) {
  try {
    return await api.act(state.teamId, action, { user: state.userId, ...body });
  } catch (error) {
    toast(error.message, "error");
    throw error;
  }
}

async function click(target) {
  const result = await act("click", target).catch(() => undefined);
  if (result && !result.acked) toast("The app did not acknowledge the click within 3 seconds.", "error");
}

export async function send(text, target) {
  try {
    const result = await act("compose", { text, ...target });
    if (result.kind === "command" && !result.acked)
      toast(`The app did not answer ${result.command} in time.`, "error");
    return true;
  } catch {
    return false;
  }
}

export const mentionable = () => store.people().filter((user) => !user.deleted && user.id !== state.userId);
