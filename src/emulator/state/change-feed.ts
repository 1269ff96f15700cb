import { EventEmitter } from "node:events";
import type { ApiCall, Notice } from "./activity-log.js";
import type {
  AssistantThread,
  BotInstall,
  Conversation,
  Ephemeral,
  Message,
  StoredFile,
  Team,
  User,
  View,
} from "./types.js";

/** Everything that changes in the emulated workspaces, for UIs and test assertions. */
export type WorkspaceChange =
  | { type: "team_created"; team: Team }
  | { type: "app_installed"; install: BotInstall }
  | { type: "user_added"; user: User }
  | { type: "conversation_created"; conversation: Conversation }
  | { type: "member_joined"; conversation: Conversation; user: string }
  | { type: "message_posted"; message: Message }
  | { type: "message_updated"; message: Message; previous: Message }
  | { type: "message_deleted"; message: Message }
  | { type: "reaction_added" | "reaction_removed"; message: Message; name: string; user: string }
  | { type: "ephemeral_posted" | "ephemeral_updated" | "ephemeral_deleted"; ephemeral: Ephemeral }
  | { type: "view_opened" | "view_updated" | "view_closed" | "home_published"; view: View }
  | { type: "assistant_thread_updated"; thread: AssistantThread }
  | { type: "file_uploaded"; file: StoredFile }
  | { type: "api_call"; call: ApiCall }
  | { type: "delivery_updated"; deliveryId: string }
  | { type: "notice"; notice: Notice };

export type ChangeListener = (change: WorkspaceChange) => void;

/** The one stream of changes. `subscribe` returns the function that unsubscribes. */
export class ChangeFeed {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  emit(change: WorkspaceChange): void {
    this.emitter.emit("change", change);
  }

  subscribe(listener: ChangeListener): () => void {
    this.emitter.on("change", listener);
    return () => this.emitter.off("change", listener);
  }
}
