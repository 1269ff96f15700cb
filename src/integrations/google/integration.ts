import type { Services } from "../../services.js";
import { type AccountStore, createAccountStore } from "./account-store.js";
import {
  type AuthorizationOutcome,
  type AuthorizationStart,
  beginAuthorization,
  completeAuthorization,
} from "./authorization.js";
import { createGoogleClients, type GoogleClients } from "./client-factory.js";
import {
  type ConnectRequest,
  claimConnectLink,
  createConnectLink,
  findConnectLink,
  type LinkLookup,
} from "./connect-link.js";
import { type ConnectPlace, type ConnectReason, offerConnection } from "./connect-prompt.js";
import type { GoogleDependencies } from "./dependencies.js";
import { type DisconnectOutcome, disconnectGoogle } from "./disconnect.js";
import { googleSettingsOf } from "./settings.js";
import { type SlackPerson, slackPerson } from "./slack-person.js";
import { beginSlackSignIn, completeSlackSignIn, type SlackSignInOutcome } from "./slack-sign-in.js";

/**
 * Everything about Google for the rest of the app: connect links, the sign-in and OAuth flow,
 * per-person clients, disconnecting. Stateless apart from the database, so it is cheap to make where
 * needed. A connect goes: link (single use) -> Continue -> Sign in with Slack (must be the link's
 * user) -> Google consent (PKCE) -> callback -> DM naming the Google account.
 */
export type ContinueOutcome =
  | { type: "sign_in"; url: string; nonce: string }
  | { type: "refused"; reason: Exclude<LinkLookup["status"], "open"> | "not_configured" };

export type VerifyOutcome =
  | Exclude<SlackSignInOutcome, { type: "verified" }>
  | ({ type: "google" } & AuthorizationStart);

interface Callback {
  state: string;
  code: string | undefined;
  error: string | undefined;
  browserNonce?: string;
}

export interface GoogleIntegration {
  deps: GoogleDependencies;
  accounts: AccountStore;
  clients: GoogleClients;
  /** A new single-use connect link for this person (valid for `settings.linkLifetimeMs`). */
  connectLink(request: ConnectRequest): Promise<string>;
  /** The link a token names, without using it up (for the interstitial page). */
  openLink(token: string): Promise<LinkLookup>;
  /** Continue was pressed: uses the link up and starts Sign in with Slack. */
  continueLink(token: string): Promise<ContinueOutcome>;
  /** Back from Slack: when the signed-in person is the link's, starts the Google flow. */
  verify(callback: Callback): Promise<VerifyOutcome>;
  complete(callback: Callback): Promise<AuthorizationOutcome>;
  person(who: { workspaceId: string; userId: string }): Promise<SlackPerson>;
  disconnect(who: { workspaceId: string; userId: string }): Promise<DisconnectOutcome>;
  /** Offers the person a private connect link in the thread; returns what to tell the model. */
  offerConnection(
    place: ConnectPlace,
    request: { reason: ConnectReason; scopes: string[]; email?: string },
  ): Promise<string>;
}

export function createGoogleIntegration(deps: GoogleDependencies): GoogleIntegration {
  const accounts = createAccountStore(deps.database, deps.sealer);
  const offered = new Set<string>();
  const link = (request: ConnectRequest) => createConnectLink(deps, request);
  return {
    deps,
    accounts,
    clients: createGoogleClients(deps, accounts),
    connectLink: link,
    openLink: (token) => findConnectLink(deps, token),
    async continueLink(token) {
      const slack = deps.settings.slackSignIn;
      // Without Sign in with Slack nobody can prove who they are: refuse rather than skip the check.
      if (!slack) return { type: "refused", reason: "not_configured" };
      const claimed = await claimConnectLink(deps, token);
      if (claimed.status !== "open") return { type: "refused", reason: claimed.status };
      const started = await beginSlackSignIn(deps, slack, claimed.link);
      return { type: "sign_in", ...started };
    },
    async verify(callback) {
      const slack = deps.settings.slackSignIn;
      if (!slack) return { type: "invalid", reason: "state" };
      const outcome = await completeSlackSignIn(deps, slack, callback);
      if (outcome.type !== "verified") return outcome;
      const { workspaceId, userId, scopes, id } = outcome.link;
      return {
        type: "google",
        ...(await beginAuthorization(deps, accounts, { workspaceId, userId, scopes, linkId: id })),
      };
    },
    complete: (callback) => completeAuthorization(deps, accounts, callback),
    person: (who) => slackPerson(deps, who),
    disconnect: (who) => disconnectGoogle(deps, accounts, who),
    offerConnection(place, request) {
      if (offered.size > 10_000) offered.clear();
      return offerConnection(
        deps,
        offered,
        (scopes) => link({ workspaceId: place.workspaceId, userId: place.userId, scopes }),
        place,
        request,
      );
    },
  };
}

/** The integration for a process's services, or undefined when Google is not configured. */
export function googleIntegrationFor(
  services: Services,
  overrides: Pick<Partial<GoogleDependencies>, "sleep"> = {},
): GoogleIntegration | undefined {
  const settings = googleSettingsOf(services.config);
  if (!settings) return undefined;
  return createGoogleIntegration({
    database: services.database,
    sealer: services.sealer,
    keys: services.keys,
    logger: services.logger.child({ integration: "google" }),
    now: services.now,
    slack: services.slack,
    settings,
    slashCommand: services.config.slack.command,
    ...overrides,
  });
}
