import { errorMessage } from "../../errors.js";
import type { AccountStore } from "./account-store.js";
import type { GoogleDependencies } from "./dependencies.js";
import { createOAuthClient } from "./oauth-client.js";

/**
 * Disconnecting ends the grant at Google (revoking the refresh token revokes the whole grant) and
 * forgets the tokens. The tokens are forgotten even when Google cannot be reached; the person is told.
 */
export type DisconnectOutcome =
  | { type: "not_connected" }
  | { type: "disconnected"; email: string | undefined; revoked: boolean };

export async function disconnectGoogle(
  deps: GoogleDependencies,
  accounts: AccountStore,
  who: { workspaceId: string; userId: string },
): Promise<DisconnectOutcome> {
  const account = await accounts.find(who.workspaceId, who.userId);
  if (!account) return { type: "not_connected" };
  const token = account.refreshToken ?? account.accessToken;
  let revoked = token === undefined;
  if (token) {
    try {
      await createOAuthClient(deps.settings).revokeToken(token);
      revoked = true;
    } catch (error) {
      // Google answers 400 for a token it no longer knows: the grant is gone either way.
      const status = (error as { response?: { status?: number } }).response?.status;
      revoked = status === 400;
      if (!revoked) deps.logger.warn({ error: errorMessage(error) }, "revoking the google grant failed");
    }
  }
  await accounts.remove(account.id);
  return { type: "disconnected", email: account.email, revoked };
}
