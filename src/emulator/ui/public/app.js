import { listen } from "./api.js";
import { toast } from "./dialogs.js";
import { act, navigation } from "./interact.js";
import { patchMessage, renderAssistant, renderMain, renderModalPart, renderThread } from "./panes.js";
import { renderSidebar } from "./sidebar.js";
import * as store from "./state.js";
import { changeHandler } from "./updates.js";

/**
 * The emulator's web UI: a Slack-like client for people, over the emulator's store. Everything a
 * person does goes through the emulator's own actions, so the app gets real events and payloads.
 * This module navigates (channel, App Home, thread) and starts the page.
 */
const { state } = store;
const byId = (id) => document.getElementById(id);

async function go(place, thread) {
  state.place = place;
  state.thread = thread;
  if (place.kind === "channel") {
    state.unread.delete(place.channel);
    state.lastChannel = place.channel;
  }
  if (place.kind === "app") {
    if (!store.dmChannel()) {
      await act("direct-message", {});
      await store.loadDirectory();
    }
    await act("home", { tab: place.tab }).catch(() => {});
    state.unread.delete(store.dmChannel()?.id);
  }
  await Promise.all([store.loadMessages(), store.loadThread(), store.loadViews(), store.loadEphemerals()]);
  remember();
  render();
}

async function openThread(channel, ts) {
  state.thread = { channel, ts };
  await store.loadThread();
  remember();
  renderThread();
}

function remember() {
  const place = state.place.kind === "channel" ? state.place.channel : `app-${state.place.tab}`;
  const thread = state.thread ? `/${state.thread.ts}` : "";
  window.history.replaceState(null, "", `/#${state.teamId}/${place}${thread}`);
}

function render() {
  renderSidebarPart();
  renderMain();
  renderThread();
  renderModalPart();
}

function renderSidebarPart() {
  renderSidebar(
    byId("sidebar"),
    {
      workspaces: state.workspaces,
      teamId: state.teamId,
      people: store.humans(),
      userId: state.userId,
      channels: store.myChannels(),
      dmChannel: store.dmChannel()?.id,
      appName: state.app.name,
      place: state.place,
      unread: state.unread,
      connection: state.connection,
    },
    {
      team: (teamId) => {
        state.teamId = teamId;
        store.remember("team", teamId);
        state.place = undefined;
        store.loadDirectory().then(() => go(state.place));
      },
      user: (userId) => {
        state.userId = userId;
        store.remember(`user:${state.teamId}`, userId);
        signInToSlack(userId);
        store.loadDirectory().then(() => go(state.place, state.thread));
      },
      go: (place) => go(place),
    },
  );
}

navigation.go = go;
navigation.openThread = openThread;

/** Sign in with Slack (the app's Google connect links) signs in as whoever this page is acting as. */
function signInToSlack(userId) {
  if (userId) fetch(`/openid/connect/sign-in?user=${encodeURIComponent(userId)}`).catch(() => {});
}

async function boot() {
  await store.loadDirectory();
  signInToSlack(state.userId);
  const [teamId, place, threadTs] = window.location.hash.slice(1).split("/");
  const archive = /^\/archives\/([A-Z0-9]+)\/p(\d{10})(\d{6})$/.exec(window.location.pathname);
  const query = new URLSearchParams(window.location.search);
  if (archive) {
    const ts = `${archive[2]}.${archive[3]}`;
    const owner = state.workspaces.find((item) =>
      item.conversations.some((entry) => entry.id === archive[1]),
    );
    if (owner) state.teamId = owner.id;
    await store.loadDirectory();
    await go(
      { kind: "channel", channel: archive[1] },
      { channel: archive[1], ts: query.get("thread_ts") ?? ts },
    );
  } else if (teamId && state.workspaces.some((item) => item.id === teamId)) {
    state.teamId = teamId;
    await store.loadDirectory();
    const app = place?.startsWith("app-") ? { kind: "app", tab: place.slice(4) } : undefined;
    const channel = store.conversation(place) ? { kind: "channel", channel: place } : undefined;
    await go(
      app ?? channel ?? state.place,
      channel && threadTs ? { channel: place, ts: threadTs } : undefined,
    );
  } else await go(state.place);
  const handleChange = changeHandler({
    patchMessage,
    renderSidebarPart,
    renderMain,
    renderThread,
    renderAssistant,
    renderModalPart,
  });
  listen(
    handleChange,
    () => {
      const reconnected = state.connection === "lost";
      state.connection = "live";
      renderSidebarPart();
      if (reconnected) store.loadDirectory().then(() => go(state.place, state.thread));
    },
    () => {
      state.connection = "lost";
      renderSidebarPart();
    },
  );
  document.body.dataset.ready = "true";
  byId("thread-close").addEventListener("click", () => {
    state.thread = undefined;
    remember();
    renderThread();
  });
}

boot().catch((error) => toast(`Could not load the workspace: ${error.message}`, "error"));
