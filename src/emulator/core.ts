import type { Now, TimestampSource } from "./clock.js";
import type { AppEndpoints, Deliverer } from "./delivery/deliverer.js";
import type { FaultController } from "./faults.js";
import type { IdSource } from "./ids.js";
import type { ResponseUrlRegistry } from "./interactivity/response-urls.js";
import type { TriggerRegistry } from "./interactivity/triggers.js";
import type { RateLimiter } from "./limits/rate-limiter.js";
import type { OpenIdState } from "./openid.js";
import type { ResolvedOptions } from "./options.js";
import type { PresentContext } from "./present/context.js";
import type { WorkspaceStore } from "./state/store.js";

/** The Slack app being emulated against: one app, installable in several workspaces. */
export interface AppIdentity {
  id: string;
  name: string;
  clientId: string;
  clientSecret: string;
  verificationToken: string;
  scopes: string[];
}

/** A code the OAuth flow hands out, exchanged once by oauth.v2.access for a bot token. */
export interface OAuthGrant {
  teamId: string;
  /** The person who installed the app. */
  userId: string;
  /** Channels the bot joins when installed. */
  joinChannelIds: string[];
  redirectUri: string | undefined;
  used: boolean;
}

/** Everything the Web API methods, the event publisher and the user actions share. */
export interface EmulatorCore {
  readonly options: ResolvedOptions;
  readonly store: WorkspaceStore;
  readonly ids: IdSource;
  readonly timestamps: TimestampSource;
  readonly now: Now;
  readonly app: AppIdentity;
  /** Filled in once the server listens. */
  readonly urls: { base: string; api: string };
  readonly endpoints: AppEndpoints;
  readonly triggers: TriggerRegistry;
  readonly responseUrls: ResponseUrlRegistry;
  readonly faults: FaultController;
  readonly rateLimiter: RateLimiter;
  readonly deliverer: Deliverer;
  readonly present: PresentContext;
  readonly oauthGrants: Map<string, OAuthGrant>;
  /** Sign in with Slack: codes and user tokens. */
  readonly openid: OpenIdState;
}
