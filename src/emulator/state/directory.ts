import type { ChangeFeed } from "./change-feed.js";
import type { BotInstall, Conversation, Team, User } from "./types.js";

/** Workspaces, people, conversations and app installs. */
export class Directory {
  private readonly teams = new Map<string, Team>();
  private readonly users = new Map<string, User>();
  private readonly conversations = new Map<string, Conversation>();
  private readonly installs = new Map<string, BotInstall>();
  private readonly tokens = new Map<string, BotInstall>();
  private readonly revoked = new Set<string>();

  constructor(private readonly feed: ChangeFeed) {}

  addTeam(team: Team): Team {
    this.teams.set(team.id, team);
    this.feed.emit({ type: "team_created", team });
    return team;
  }

  team(id: string): Team | undefined {
    return this.teams.get(id);
  }

  allTeams(): Team[] {
    return [...this.teams.values()];
  }

  addUser(user: User): User {
    this.users.set(user.id, user);
    this.feed.emit({ type: "user_added", user });
    return user;
  }

  user(id: string): User | undefined {
    return this.users.get(id);
  }

  usersOf(teamId: string): User[] {
    return [...this.users.values()].filter((user) => user.teamId === teamId);
  }

  addConversation(conversation: Conversation): Conversation {
    this.conversations.set(conversation.id, conversation);
    this.feed.emit({ type: "conversation_created", conversation });
    return conversation;
  }

  conversation(id: string): Conversation | undefined {
    return this.conversations.get(id);
  }

  conversationsOf(teamId: string): Conversation[] {
    return [...this.conversations.values()].filter((conversation) => conversation.teamId === teamId);
  }

  /** A channel by id, or by name (`general` or `#general`) within a team. */
  findConversation(teamId: string, reference: string): Conversation | undefined {
    const byId = this.conversations.get(reference);
    if (byId) return byId.teamId === teamId ? byId : undefined;
    const name = reference.replace(/^#/, "");
    return this.conversationsOf(teamId).find((conversation) => conversation.name === name);
  }

  /** The DM between the team's bot and a user, if one was opened. */
  directMessage(teamId: string, userId: string): Conversation | undefined {
    return this.conversationsOf(teamId).find(
      (conversation) => conversation.kind === "im" && conversation.imUser === userId,
    );
  }

  join(conversation: Conversation, userId: string): void {
    if (conversation.members.has(userId)) return;
    conversation.members.add(userId);
    this.feed.emit({ type: "member_joined", conversation, user: userId });
  }

  setInstall(install: BotInstall): BotInstall {
    this.installs.set(install.teamId, install);
    if (install.token) {
      this.tokens.set(install.token, install);
      this.feed.emit({ type: "app_installed", install });
    }
    return install;
  }

  install(teamId: string): BotInstall | undefined {
    return this.installs.get(teamId);
  }

  installForToken(token: string): BotInstall | undefined {
    return this.tokens.get(token);
  }

  revokeToken(token: string): void {
    if (this.tokens.delete(token)) this.revoked.add(token);
  }

  isRevoked(token: string): boolean {
    return this.revoked.has(token);
  }
}
