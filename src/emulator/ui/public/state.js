import { api } from "./api.js";

/**
 * What the page knows: the workspaces (people, conversations), where you are, who you act as, and
 * the messages, ephemerals and views it shows. Loaders read them from /ui/api.
 */
export const state = {
  app: { name: "App" },
  workspaces: [],
  teamId: undefined,
  userId: undefined,
  /** `{ kind: "channel", channel }` or `{ kind: "app", tab: "home" | "messages" }`. */
  place: undefined,
  /** The last channel looked at: the context of a new assistant thread. */
  lastChannel: undefined,
  /** `{ channel, ts }` of the open thread. */
  thread: undefined,
  messages: [],
  threadMessages: [],
  assistant: null,
  ephemerals: [],
  modals: [],
  home: null,
  unread: new Set(),
  connection: "connecting",
};

export const workspace = () => state.workspaces.find((candidate) => candidate.id === state.teamId);
export const people = () => workspace()?.users ?? [];
export const humans = () => people().filter((user) => !user.isBot && !user.deleted);
export const person = (id) => people().find((user) => user.id === id);
export const conversations = () => workspace()?.conversations ?? [];
export const conversation = (id) => conversations().find((candidate) => candidate.id === id);
export const myChannels = () =>
  conversations()
    .filter((item) => (item.kind === "channel" || item.kind === "group") && !item.isArchived)
    .filter((item) => item.members.includes(state.userId))
    .sort((left, right) => left.name.localeCompare(right.name));
export const dmChannel = () =>
  conversations().find((item) => item.kind === "im" && item.imUser === state.userId);

/** The conversation the main pane shows (a channel, or the DM on the app's Messages tab). */
export function currentChannel() {
  if (state.place?.kind === "channel") return state.place.channel;
  if (state.place?.kind === "app" && state.place.tab === "messages") return dmChannel()?.id;
  return undefined;
}

/** Names for mentions: people by display name, the app by its name, channels by name. */
export const names = {
  user(id) {
    const user = person(id);
    if (!user) return undefined;
    return user.isBot ? user.realName : user.displayName || user.name;
  },
  channel: (id) => conversation(id)?.name,
};

const remembered = (key) => window.localStorage.getItem(`slack-emulator:${key}`) ?? undefined;
export const remember = (key, value) => window.localStorage.setItem(`slack-emulator:${key}`, value);

export async function loadDirectory() {
  const data = await api.workspaces();
  state.app = data.app;
  state.workspaces = data.workspaces;
  if (!workspace()) state.teamId = remembered("team") ?? state.workspaces[0]?.id;
  if (!workspace()) state.teamId = state.workspaces[0]?.id;
  if (!humans().some((user) => user.id === state.userId)) {
    const preferred = remembered(`user:${state.teamId}`);
    state.userId = humans().some((user) => user.id === preferred) ? preferred : humans()[0]?.id;
  }
  const channel = state.place?.kind === "channel" ? conversation(state.place.channel) : undefined;
  if (!state.place || (state.place.kind === "channel" && !channel?.members.includes(state.userId))) {
    const general = myChannels().find((item) => item.isGeneral) ?? myChannels()[0];
    state.place = general ? { kind: "channel", channel: general.id } : { kind: "app", tab: "home" };
  }
}

export async function loadMessages() {
  const channel = currentChannel();
  state.messages = channel ? (await api.messages(state.teamId, channel)).messages : [];
}

export async function loadThread() {
  if (!state.thread) return;
  const data = await api.thread(state.teamId, state.thread.channel, state.thread.ts);
  state.threadMessages = data.messages;
  state.assistant = data.assistant;
}

export async function loadEphemerals() {
  state.ephemerals = state.userId ? (await api.ephemerals(state.teamId, state.userId)).ephemerals : [];
}

export async function loadViews() {
  const data = state.userId ? await api.views(state.teamId, state.userId) : { modals: [], home: null };
  state.modals = data.modals;
  state.home = data.home;
}
