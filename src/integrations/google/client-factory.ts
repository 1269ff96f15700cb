import type { OAuth2Client } from "google-auth-library";
import { errorMessage } from "../../errors.js";
import type { AccountStore, GoogleAccount } from "./account-store.js";
import { classifyGoogleError } from "./api-errors.js";
import type { GoogleApis } from "./apis.js";
import type { GoogleDependencies } from "./dependencies.js";
import { createOAuthClient } from "./oauth-client.js";
import { sleep, withGoogleRetry } from "./retry.js";
import { missingScopes } from "./scopes.js";

/**
 * Google clients for exactly one person: the Slack user a run works for (its requester, or a
 * schedule's owner). Never anyone else's account. Tokens refreshed by google-auth-library are
 * persisted (sealed) from its `tokens` event; a grant Google refuses marks the account for
 * reconnection instead of failing again and again.
 */
export type GoogleAccess =
  | { type: "ready"; account: GoogleAccount; session: GoogleSession }
  | { type: "not_connected" }
  | { type: "reconnect"; account: GoogleAccount }
  | { type: "missing_scopes"; account: GoogleAccount; missing: string[] };

export interface GoogleSession {
  apis: GoogleApis;
  /** Runs one API call with backoff on quota errors (and on 5xx when `idempotent`). */
  call<T>(operation: () => Promise<T>, options?: { idempotent?: boolean }): Promise<T>;
  /** Waits until refreshed tokens are stored. */
  settle(): Promise<void>;
}

export interface GoogleClients {
  forUser(
    request: { workspaceId: string; userId: string; scopes: readonly string[] },
    signal?: AbortSignal,
  ): Promise<GoogleAccess>;
  /** Records that Google refused the account's grant (invalid_grant). */
  markBroken(account: GoogleAccount, revoked: boolean): Promise<void>;
}

export function createGoogleClients(deps: GoogleDependencies, accounts: AccountStore): GoogleClients {
  return {
    async forUser(request, signal) {
      const account = await accounts.find(request.workspaceId, request.userId);
      if (!account) return { type: "not_connected" };
      if (account.status !== "active" || !account.refreshToken) return { type: "reconnect", account };
      const missing = missingScopes(account.scopes, request.scopes);
      if (missing.length > 0) return { type: "missing_scopes", account, missing };
      // The googleapis modules are large: loaded on first use, not when Slack surfaces import this.
      const { createGoogleApis } = await import("./apis.js");
      return { type: "ready", account, session: session(account, signal, createGoogleApis) };
    },
    async markBroken(account, revoked) {
      await accounts.markBroken(account.id, revoked ? "revoked" : "expired");
    },
  };

  function session(
    account: GoogleAccount,
    signal: AbortSignal | undefined,
    createGoogleApis: typeof import("./apis.js").createGoogleApis,
  ): GoogleSession {
    const auth = createOAuthClient(deps.settings);
    auth.setCredentials({
      refresh_token: account.refreshToken ?? null,
      access_token: account.accessToken ?? null,
      expiry_date: account.accessTokenExpiresAt ?? null,
    });
    const pending: Promise<void>[] = [];
    auth.on("tokens", (tokens) => {
      pending.push(
        accounts.saveRefreshed(account.id, tokens).catch((error: unknown) => {
          deps.logger.error({ error: errorMessage(error) }, "storing refreshed google tokens failed");
        }),
      );
    });
    return {
      apis: createGoogleApis(auth, deps.settings.apiRootUrl),
      call: (operation, options = {}) =>
        withGoogleRetry(() => withReauthorization(auth, operation), {
          idempotent: options.idempotent ?? true,
          signal,
          sleep: deps.sleep ?? sleep,
        }),
      async settle() {
        await Promise.all(pending);
      },
    };
  }
}

/**
 * Google refused an access token that should still be valid (revoked early, clock skew): refresh it
 * once and try again. A refused refresh surfaces as invalid_grant.
 */
async function withReauthorization<T>(auth: OAuth2Client, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (classifyGoogleError(error)?.kind !== "unauthorized") throw error;
    await auth.refreshAccessToken();
    return operation();
  }
}
