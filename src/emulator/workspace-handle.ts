import { type AssistantThreadStarted, openHome, startAssistantThread } from "./actions/home.js";
import {
  type ClickInput,
  clickElement,
  runSlashCommand,
  type SlashCommandInput,
} from "./actions/interactions.js";
import {
  type ChannelRef,
  type EventResult,
  type InteractionResult,
  type PostResult,
  resolveChannel,
  resolveUser,
  type UserRef,
} from "./actions/results.js";
import {
  directMessage,
  mentionBot,
  postAsUser,
  reactAsUser,
  type UserPost,
} from "./actions/user-messages.js";
import { closeView, type SubmitViewInput, submitView, type ViewSubmissionResult } from "./actions/views.js";
import type { EmulatorCore } from "./core.js";
import {
  addChannel,
  addUser,
  type NewChannel,
  type NewUser,
  openDirectMessage,
  type SeededWorkspace,
} from "./seed.js";
import type {
  AssistantThread,
  Conversation,
  Ephemeral,
  Message,
  Reaction,
  StoredFile,
  User,
  View,
} from "./state/types.js";
import { type MessageQuery, messageMatches, waitFor } from "./waits.js";

/** Slack clears an assistant status two minutes after it was set if no reply came. */
const assistantStatusLifetimeMs = 2 * 60 * 1000;

/** One workspace: its people and channels, what they can do, and what is in it. */
export interface WorkspaceHandle {
  readonly teamId: string;
  readonly name: string;
  readonly domain: string;
  /** Undefined until the app is installed (OAuth workspaces). */
  readonly botToken: string | undefined;
  readonly botUserId: string;
  readonly botId: string;
  /** alice (admin, America/New_York), bob (Europe/Berlin), carol (Asia/Tokyo). */
  readonly users: SeededWorkspace["users"];
  /** #general and #random (bot is a member), #watercooler as `withoutBot`. */
  readonly channels: SeededWorkspace["channels"];

  addUser(input: NewUser): User;
  addChannel(input: NewChannel & { creator?: UserRef }): Conversation;

  post(input: UserPost): Promise<PostResult>;
  mention(input: Omit<UserPost, "text"> & { text?: string }): Promise<PostResult>;
  reply(input: UserPost & { threadTs: string }): Promise<PostResult>;
  dm(input: Omit<UserPost, "channel">): Promise<PostResult>;
  react(input: {
    user: UserRef;
    channel: ChannelRef;
    ts: string;
    name: string;
    remove?: boolean;
  }): Promise<EventResult>;
  clickButton(input: ClickInput): Promise<InteractionResult>;
  runSlashCommand(input: SlashCommandInput): Promise<InteractionResult>;
  submitView(input: SubmitViewInput): Promise<ViewSubmissionResult>;
  closeView(input: { user: UserRef; viewId?: string }): Promise<InteractionResult | undefined>;
  openHome(user: UserRef, options?: { tab?: "home" | "messages" }): Promise<EventResult>;
  startAssistantThread(input: {
    user: UserRef;
    contextChannel?: ChannelRef;
  }): Promise<AssistantThreadStarted>;

  /** Top-level messages of a channel (oldest first), or a whole thread when `threadTs` is given. */
  messages(channel: ChannelRef, threadTs?: string): Message[];
  thread(channel: ChannelRef, ts: string): Message[];
  message(channel: ChannelRef, ts: string): Message | undefined;
  ephemerals(filter?: { channel?: ChannelRef; user?: UserRef }): Ephemeral[];
  reactions(channel: ChannelRef, ts: string): Reaction[];
  views(filter?: { user?: UserRef; open?: boolean }): View[];
  /** The user's top open modal. */
  openModal(user: UserRef): View | undefined;
  homeView(user: UserRef): View | undefined;
  /** Status, title and suggested prompts of an assistant thread (an expired status reads as unset). */
  assistantThread(channel: ChannelRef, threadTs: string): AssistantThread | undefined;
  dmChannel(user: UserRef): Conversation;
  files(): StoredFile[];
  waitForMessage(
    query: Omit<MessageQuery, "channel"> & { channel: ChannelRef },
    timeoutMs?: number,
  ): Promise<Message>;
}

export function workspaceHandle(core: EmulatorCore, seeded: SeededWorkspace): WorkspaceHandle {
  const teamId = seeded.team.id;
  const channelId = (reference: ChannelRef) => resolveChannel(core, teamId, reference).id;
  const userId = (reference: UserRef) => resolveUser(core, teamId, reference).id;
  const install = () => core.store.directory.install(teamId) ?? seeded.install;
  return {
    teamId,
    name: seeded.team.name,
    domain: seeded.team.domain,
    get botToken() {
      return install().token;
    },
    botUserId: seeded.install.botUserId,
    botId: seeded.install.botId,
    users: seeded.users,
    channels: seeded.channels,
    addUser: (input) => addUser(core, teamId, input),
    addChannel: (input) => {
      const creator = input.creator ? userId(input.creator) : seeded.users.alice.id;
      return addChannel(core, teamId, input, creator);
    },
    post: (input) => postAsUser(core, teamId, input),
    mention: (input) => mentionBot(core, teamId, input),
    reply: (input) => postAsUser(core, teamId, input),
    dm: (input) => directMessage(core, teamId, input),
    react: (input) => reactAsUser(core, teamId, input),
    clickButton: (input) => clickElement(core, teamId, input),
    runSlashCommand: (input) => runSlashCommand(core, teamId, input),
    submitView: (input) => submitView(core, teamId, input),
    closeView: (input) => closeView(core, teamId, input),
    openHome: (user, options) => openHome(core, teamId, { user, tab: options?.tab }),
    startAssistantThread: (input) => startAssistantThread(core, teamId, input),
    messages: (channel, threadTs) =>
      threadTs === undefined
        ? core.store.messages.topLevel(channelId(channel))
        : core.store.messages.thread(channelId(channel), threadTs),
    thread: (channel, ts) => core.store.messages.thread(channelId(channel), ts),
    message: (channel, ts) => core.store.messages.find(channelId(channel), ts),
    ephemerals: (filter = {}) =>
      core.store.messages.ephemerals({
        teamId,
        channel: filter.channel === undefined ? undefined : channelId(filter.channel),
        user: filter.user === undefined ? undefined : userId(filter.user),
      }),
    reactions: (channel, ts) => core.store.messages.find(channelId(channel), ts)?.reactions ?? [],
    views: (filter = {}) =>
      core.store.views.all({
        teamId,
        userId: filter.user === undefined ? undefined : userId(filter.user),
        open: filter.open,
      }),
    openModal: (user) => core.store.views.stack(teamId, userId(user)).at(-1),
    homeView: (user) => core.store.views.home(teamId, userId(user)),
    assistantThread: (channel, threadTs) => {
      const thread = core.store.assistantThread(channelId(channel), threadTs);
      if (!thread) return undefined;
      const expired =
        thread.statusSetAt !== undefined && core.now() - thread.statusSetAt > assistantStatusLifetimeMs;
      return expired
        ? { ...thread, status: undefined, loadingMessages: undefined, statusSetAt: undefined }
        : thread;
    },
    dmChannel: (user) => openDirectMessage(core, teamId, userId(user)),
    files: () => core.store.allFiles(teamId),
    waitForMessage: (query, timeoutMs) => {
      const channel = channelId(query.channel);
      return waitFor(
        core.store,
        () => {
          const candidates =
            query.threadTs === undefined
              ? core.store.messages.all(channel)
              : core.store.messages.thread(channel, query.threadTs);
          return candidates.find((message) => messageMatches(message, query));
        },
        {
          timeoutMs,
          description: `a message in ${channel}${query.threadTs ? ` thread ${query.threadTs}` : ""}`,
        },
      );
    },
  };
}
