/**
 * A local Slack for tests and development: the Web API (`apiUrl`), the Events API and
 * interactivity sent to the app's request URL (signed, with Slack's retries and ack deadlines),
 * rate limits, fault injection, and all state in one store with a change stream.
 */
export type { AssistantThreadStarted } from "./actions/home.js";
export type { ClickInput, SlashCommandInput } from "./actions/interactions.js";
export type {
  ChannelRef,
  EventResult,
  InteractionResult,
  PostResult,
  UserRef,
} from "./actions/results.js";
export type { UserFile, UserPost } from "./actions/user-messages.js";
export type { SubmitViewInput, ViewSubmissionResult, ViewValues } from "./actions/views.js";
export { slackSignature } from "./delivery/signing.js";
export type { CreatedWorkspace, SlackEmulator } from "./emulator.js";
export { startSlackEmulator } from "./emulator.js";
export type { Fault, FaultScope } from "./faults.js";
export type { RateLimitSettings } from "./limits/rate-limiter.js";
export type { MethodLimit, RateLimitPreset, Tier } from "./limits/tiers.js";
export type { SlackEmulatorOptions } from "./options.js";
export type { NewChannel, NewUser } from "./seed.js";
export type { ApiCall, Delivery, DeliveryAttempt, Notice } from "./state/activity-log.js";
export type { ChangeListener, WorkspaceChange } from "./state/change-feed.js";
export type { WorkspaceStore } from "./state/store.js";
export type * from "./state/types.js";
export type { MessageQuery } from "./waits.js";
export type { WorkspaceHandle } from "./workspace-handle.js";
