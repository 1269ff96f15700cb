/**
 * The emulator's UI endpoints (src/emulator/ui/routes.ts): reads under /ui/api, actions posted as
 * JSON to /ui/api/teams/<team>/actions/<name>, and the change stream at /ui/api/events.
 */
async function request(path, options = {}) {
  const response = await fetch(path, options);
  const body = await response.json().catch(() => ({}));
  if (!response.ok || body.ok === false) {
    const error = new Error(body.detail ?? body.error ?? `HTTP ${response.status}`);
    error.code = body.error;
    throw error;
  }
  return body;
}

const team = (teamId) => `/ui/api/teams/${encodeURIComponent(teamId)}`;

export const api = {
  workspaces: () => request("/ui/api/workspaces"),
  messages: (teamId, channel) =>
    request(`${team(teamId)}/conversations/${encodeURIComponent(channel)}/messages`),
  thread: (teamId, channel, ts) =>
    request(`${team(teamId)}/conversations/${encodeURIComponent(channel)}/threads/${encodeURIComponent(ts)}`),
  ephemerals: (teamId, user) => request(`${team(teamId)}/people/${encodeURIComponent(user)}/ephemerals`),
  views: (teamId, user) => request(`${team(teamId)}/people/${encodeURIComponent(user)}/views`),
  act: (teamId, action, body) =>
    request(`${team(teamId)}/actions/${action}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
};

/** Calls `onChange(change)` for every store change; `onOpen` on (re)connection, `onError` when lost. */
export function listen(onChange, onOpen, onError) {
  const source = new EventSource("/ui/api/events");
  source.addEventListener("open", () => onOpen());
  source.addEventListener("error", () => onError());
  source.addEventListener("message", (event) => onChange(JSON.parse(event.data)));
  return () => source.close();
}
