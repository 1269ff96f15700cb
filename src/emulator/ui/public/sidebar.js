import { element } from "./text.js";

/**
 * The left column: workspace, who you are acting as (to test who may approve), your channels, your
 * DM with the app, and the app itself (Home tab). `model` is plain data; `on` has the handlers
 * `team(id)`, `user(id)`, `go(place)`.
 */
export function renderSidebar(root, model, on) {
  const teamPicker = element(
    "select",
    { id: "workspace-switch", className: "workspace-switch", "aria-label": "Workspace" },
    ...model.workspaces.map((workspace) => element("option", { value: workspace.id, text: workspace.name })),
  );
  teamPicker.value = model.teamId;
  teamPicker.disabled = model.workspaces.length < 2;
  teamPicker.addEventListener("change", () => on.team(teamPicker.value));

  const userPicker = element(
    "select",
    { id: "user-switch", className: "user-switch", "aria-label": "Acting as" },
    ...model.people.map((person) =>
      element("option", {
        value: person.id,
        text: `${person.realName} (@${person.name})${person.isAdmin ? " · admin" : ""}`,
      }),
    ),
  );
  userPicker.value = model.userId;
  userPicker.addEventListener("change", () => on.user(userPicker.value));

  const item = (label, place, { active, unread, icon }) =>
    element(
      "li",
      {},
      element(
        "button",
        {
          type: "button",
          className: ["sidebar-item", active && "active", unread && "unread"].filter(Boolean).join(" "),
          "aria-current": active ? "page" : undefined,
          onclick: () => on.go(place),
        },
        element("span", { className: "sidebar-icon", "aria-hidden": "true", text: icon }),
        element("span", { className: "sidebar-label", text: label }),
      ),
    );
  const here = model.place;
  const channels = model.channels.map((channel) =>
    item(
      channel.name,
      { kind: "channel", channel: channel.id },
      {
        active: here.kind === "channel" && here.channel === channel.id,
        unread: model.unread.has(channel.id),
        icon: channel.kind === "group" ? "🔒" : "#",
      },
    ),
  );
  const appName = model.appName;
  root.replaceChildren(
    element(
      "header",
      { className: "sidebar-header" },
      teamPicker,
      element("label", { className: "acting-as" }, element("span", { text: "Acting as" }), userPicker),
    ),
    section("Channels", channels),
    section("Direct messages", [
      item(
        appName,
        { kind: "app", tab: "messages" },
        {
          active: here.kind === "app" && here.tab === "messages",
          unread: model.dmChannel !== undefined && model.unread.has(model.dmChannel),
          icon: "🤖",
        },
      ),
    ]),
    section("Apps", [
      item(
        `${appName} Home`,
        { kind: "app", tab: "home" },
        {
          active: here.kind === "app" && here.tab === "home",
          icon: "🏠",
        },
      ),
    ]),
    element(
      "footer",
      { className: `connection ${model.connection}` },
      model.connection === "live" ? "● Live" : "○ Reconnecting…",
    ),
  );
}

function section(title, items) {
  return element(
    "section",
    { className: "sidebar-section" },
    element("h2", { text: title }),
    element("ul", {}, ...items),
  );
}
