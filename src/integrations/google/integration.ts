import type { Services } from "../../services.js";
import { type AccountStore, createAccountStore } from "./account-store.js";
import {
  type AuthorizationOutcome,
  type AuthorizationStart,
  beginAuthorization,
  completeAuthorization,
} from "./authorization.js";
import { createGoogleClients, type GoogleClients } from "./client-factory.js";
import { type ConnectRequest, connectLink } from "./connect-link.js";
import { type ConnectPlace, type ConnectReason, offerConnection } from "./connect-prompt.js";
import type { GoogleDependencies } from "./dependencies.js";
import { type DisconnectOutcome, disconnectGoogle } from "./disconnect.js";
import { googleSettingsOf } from "./settings.js";

/**
 * Everything about Google for the rest of the app: connect links, the OAuth flow, per-person clients,
 * disconnecting. Stateless apart from the database, so it is cheap to make where needed.
 */
export interface GoogleIntegration {
  deps: GoogleDependencies;
  accounts: AccountStore;
  clients: GoogleClients;
  connectLink(request: ConnectRequest): string;
  begin(request: ConnectRequest): Promise<AuthorizationStart>;
  complete(callback: {
    state: string;
    code: string | undefined;
    error: string | undefined;
    browserNonce?: string;
  }): Promise<AuthorizationOutcome>;
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
  const link = (request: ConnectRequest) =>
    connectLink(
      {
        publicUrl: deps.settings.publicUrl,
        key: deps.keys.links,
        lifetimeMs: deps.settings.linkLifetimeMs,
        now: deps.now(),
      },
      request,
    );
  return {
    deps,
    accounts,
    clients: createGoogleClients(deps, accounts),
    connectLink: link,
    begin: (request) => beginAuthorization(deps, accounts, request),
    complete: (callback) => completeAuthorization(deps, accounts, callback),
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
