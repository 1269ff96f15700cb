/**
 * The emulator's records. They hold what Slack holds; the Web API and event shapes are produced
 * from them by ../present/*.ts, so a UI can read these records directly.
 */

export type JsonObject = Record<string, unknown>;

export interface Team {
  id: string;
  name: string;
  domain: string;
  created: number;
}

export interface User {
  id: string;
  teamId: string;
  /** The handle (`alice`). */
  name: string;
  realName: string;
  displayName: string;
  email: string | undefined;
  /** IANA time zone, e.g. `Europe/Berlin`. */
  tz: string;
  isAdmin: boolean;
  isOwner: boolean;
  isBot: boolean;
  /** For bot users: the bot id (`B…`). */
  botId: string | undefined;
  deleted: boolean;
}

export type ConversationKind = "channel" | "group" | "im" | "mpim";

export interface Conversation {
  id: string;
  teamId: string;
  kind: ConversationKind;
  /** Channel name without `#`; undefined for DMs. */
  name: string | undefined;
  members: Set<string>;
  /** For DMs: the human on the other side of the bot. */
  imUser: string | undefined;
  creator: string;
  created: number;
  isGeneral: boolean;
  isArchived: boolean;
  topic: string;
  purpose: string;
}

export interface Reaction {
  name: string;
  users: string[];
}

export interface MessageMetadata {
  event_type: string;
  event_payload: JsonObject;
}

export interface StreamState {
  state: "streaming" | "stopped";
  stoppedByUser: boolean;
  recipientUserId: string | undefined;
  recipientTeamId: string | undefined;
  /** Everything appended so far, in order. */
  chunks: JsonObject[];
}

export interface Message {
  teamId: string;
  channel: string;
  ts: string;
  /** Parent ts for replies and (once it has replies) for the parent itself. */
  threadTs: string | undefined;
  user: string | undefined;
  botId: string | undefined;
  appId: string | undefined;
  subtype: string | undefined;
  text: string;
  blocks: JsonObject[] | undefined;
  attachments: JsonObject[] | undefined;
  metadata: MessageMetadata | undefined;
  fileIds: string[];
  clientMessageId: string | undefined;
  edited: { user: string; ts: string } | undefined;
  reactions: Reaction[];
  replyBroadcast: boolean;
  /** Posted with a `thread_ts` that matched no message: Slack answers ok but nobody sees it. */
  orphan: boolean;
  deleted: boolean;
  stream: StreamState | undefined;
  /** Set on the parent message of an assistant (AI app) thread. */
  assistantThread: { title: string | undefined } | undefined;
  /** Display overrides (`username`, `icon_emoji`, `icon_url`). */
  display: { username?: string; iconEmoji?: string; iconUrl?: string } | undefined;
}

export interface Ephemeral {
  teamId: string;
  channel: string;
  /** The only user who sees it. */
  user: string;
  ts: string;
  threadTs: string | undefined;
  text: string;
  blocks: JsonObject[] | undefined;
  botId: string | undefined;
  /** How it got there. */
  source: "chat.postEphemeral" | "response_url" | "command_ack";
  deleted: boolean;
}

export type ViewKind = "modal" | "home";

export interface View {
  id: string;
  teamId: string;
  userId: string;
  kind: ViewKind;
  /** The view payload as the app sent it (title, blocks, callback_id, ...). */
  definition: JsonObject;
  hash: string;
  externalId: string | undefined;
  rootViewId: string;
  previousViewId: string | undefined;
  /** Last values submitted by the user, by block_id then action_id. */
  stateValues: Record<string, Record<string, JsonObject>>;
  /** Errors the app returned with `response_action: "errors"`. */
  errors: Record<string, string> | undefined;
  open: boolean;
  created: number;
  updated: number;
}

export interface StoredFile {
  id: string;
  teamId: string;
  /** Who uploaded it: a user id or the bot user id. */
  user: string;
  name: string;
  title: string;
  mimetype: string;
  length: number;
  content: Buffer | undefined;
  created: number;
  /** Set once files.completeUploadExternal (or a user upload) finished it. */
  completed: boolean;
  /** The secret part of the upload URL files.getUploadURLExternal handed out. */
  uploadKey: string | undefined;
  channels: string[];
}

export interface AssistantThread {
  teamId: string;
  channel: string;
  threadTs: string;
  userId: string | undefined;
  status: string | undefined;
  loadingMessages: string[] | undefined;
  statusSetAt: number | undefined;
  title: string | undefined;
  prompts: { title: string | undefined; prompts: { title: string; message: string }[] } | undefined;
}

export interface BotInstall {
  teamId: string;
  botUserId: string;
  botId: string;
  /** Undefined until the app is installed (oauth.v2.access for created workspaces). */
  token: string | undefined;
  scopes: string[];
  installedAt: number | undefined;
}
