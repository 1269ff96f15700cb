import type { EmulatorCore } from "./core.js";
import type { BotInstall, Conversation, Team, User } from "./state/types.js";

export interface NewUser {
  name: string;
  realName?: string;
  tz?: string;
  isAdmin?: boolean;
  isOwner?: boolean;
  email?: string;
}

export interface NewChannel {
  name: string;
  isPrivate?: boolean;
  /** User ids; the bot is added separately (`withBot`). */
  members?: string[];
  /** Add the bot as a member (once the app is installed, for channels created before). */
  withBot?: boolean;
}

export interface SeededWorkspace {
  team: Team;
  install: BotInstall;
  users: { alice: User; bob: User; carol: User };
  channels: { general: Conversation; random: Conversation; withoutBot: Conversation };
}

export function createTeam(core: EmulatorCore, name: string, domain: string): Team {
  return core.store.directory.addTeam({ id: core.ids.next("T"), name, domain, created: core.now() });
}

export function addUser(core: EmulatorCore, teamId: string, input: NewUser): User {
  return core.store.directory.addUser({
    id: core.ids.next("U"),
    teamId,
    name: input.name,
    realName: input.realName ?? input.name,
    displayName: input.name,
    email: input.email ?? `${input.name}@example.com`,
    tz: input.tz ?? "UTC",
    isAdmin: input.isAdmin ?? input.isOwner ?? false,
    isOwner: input.isOwner ?? false,
    isBot: false,
    botId: undefined,
    deleted: false,
  });
}

export function addChannel(
  core: EmulatorCore,
  teamId: string,
  input: NewChannel,
  creator: string,
): Conversation {
  const install = core.store.directory.install(teamId);
  const members = new Set(input.members ?? []);
  if (input.withBot && install) members.add(install.botUserId);
  return core.store.directory.addConversation({
    id: core.ids.next(input.isPrivate ? "G" : "C"),
    teamId,
    kind: input.isPrivate ? "group" : "channel",
    name: input.name,
    members,
    imUser: undefined,
    creator,
    created: core.now(),
    isGeneral: input.name === "general",
    isArchived: false,
    topic: "",
    purpose: "",
  });
}

/** The DM between the bot and a user (Slack's App Home "Messages" tab), opened on first use. */
export function openDirectMessage(core: EmulatorCore, teamId: string, userId: string): Conversation {
  const existing = core.store.directory.directMessage(teamId, userId);
  if (existing) return existing;
  const install = core.store.directory.install(teamId);
  return core.store.directory.addConversation({
    id: core.ids.next("D"),
    teamId,
    kind: "im",
    name: undefined,
    members: new Set([userId, ...(install ? [install.botUserId] : [])]),
    imUser: userId,
    creator: userId,
    created: core.now(),
    isGeneral: false,
    isArchived: false,
    topic: "",
    purpose: "",
  });
}

/** The app's bot user in a workspace, not yet installed (no token). */
export function createBot(core: EmulatorCore, teamId: string): BotInstall {
  const botId = core.ids.next("B");
  const botUser = core.store.directory.addUser({
    id: core.ids.next("U"),
    teamId,
    name: core.app.name.toLowerCase(),
    realName: core.app.name,
    displayName: core.app.name,
    email: undefined,
    tz: "America/Los_Angeles",
    isAdmin: false,
    isOwner: false,
    isBot: true,
    botId,
    deleted: false,
  });
  return core.store.directory.setInstall({
    teamId,
    botUserId: botUser.id,
    botId,
    token: undefined,
    scopes: core.app.scopes,
    installedAt: undefined,
  });
}

/** Installs the app: issues a bot token and lets the bot into its DMs and the given channels. */
export function installApp(core: EmulatorCore, teamId: string, channels: Conversation[]): BotInstall {
  const install = core.store.directory.install(teamId) ?? createBot(core, teamId);
  if (install.token) return install;
  const token = `xoxb-${core.ids.digits(12)}-${core.ids.digits(13)}-${core.ids.next("", 24).toLowerCase()}`;
  core.store.directory.setInstall({ ...install, token, installedAt: core.now() });
  for (const channel of channels) core.store.directory.join(channel, install.botUserId);
  for (const conversation of core.store.directory.conversationsOf(teamId)) {
    if (conversation.kind === "im") core.store.directory.join(conversation, install.botUserId);
  }
  return core.store.directory.install(teamId) as BotInstall;
}

/**
 * A workspace with three people in different time zones (alice is the admin), #general and #random
 * with the bot in them, and #watercooler (`withoutBot`) where the bot is not a member.
 */
export function seedWorkspace(
  core: EmulatorCore,
  options: { name: string; domain: string; install: boolean },
): SeededWorkspace {
  const team = createTeam(core, options.name, options.domain);
  const alice = addUser(core, team.id, {
    name: "alice",
    realName: "Alice Admin",
    tz: "America/New_York",
    isAdmin: true,
    isOwner: true,
  });
  const bob = addUser(core, team.id, { name: "bob", realName: "Bob Berger", tz: "Europe/Berlin" });
  const carol = addUser(core, team.id, { name: "carol", realName: "Carol Sato", tz: "Asia/Tokyo" });
  const everyone = [alice.id, bob.id, carol.id];
  createBot(core, team.id);
  const general = addChannel(core, team.id, { name: "general", members: everyone }, alice.id);
  const random = addChannel(core, team.id, { name: "random", members: everyone }, alice.id);
  const withoutBot = addChannel(core, team.id, { name: "watercooler", members: everyone }, alice.id);
  const install = options.install
    ? installApp(core, team.id, [general, random])
    : (core.store.directory.install(team.id) as BotInstall);
  return { team, install, users: { alice, bob, carol }, channels: { general, random, withoutBot } };
}
