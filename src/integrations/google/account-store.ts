import type { Credentials } from "google-auth-library";
import type { Sealer } from "../../security/seal.js";
import type { Database } from "../../storage/database.js";
import { parseScopes } from "./scopes.js";

/**
 * Google accounts connected per Slack user (ConnectedAccount rows, provider "google"). Tokens are
 * sealed at rest and only unsealed here, for the one person whose run needs them.
 */
export interface GoogleAccount {
  id: string;
  workspaceId: string;
  userId: string;
  email: string | undefined;
  /** Short scope names granted. */
  scopes: string[];
  /** active, or expired/revoked when Google refused the grant: the person must reconnect. */
  status: string;
  refreshToken: string | undefined;
  accessToken: string | undefined;
  accessTokenExpiresAt: number | undefined;
}

export interface GrantInput {
  workspaceId: string;
  userId: string;
  email: string | undefined;
  scopes: string[];
  refreshToken: string;
  accessToken: string | undefined;
  accessTokenExpiresAt: number | undefined;
}

export interface AccountStore {
  find(workspaceId: string, userId: string): Promise<GoogleAccount | undefined>;
  saveGrant(grant: GrantInput): Promise<GoogleAccount>;
  /** Persists tokens google-auth-library refreshed (its `tokens` event). */
  saveRefreshed(accountId: string, tokens: Credentials): Promise<void>;
  /** Google refused the grant: forget the tokens and remember why. */
  markBroken(accountId: string, status: "expired" | "revoked"): Promise<void>;
  remove(accountId: string): Promise<void>;
}

const provider = "google";

export function createAccountStore(database: Database, sealer: Sealer): AccountStore {
  const unseal = (value: string | null) => (value ? sealer.unseal(value) : undefined);
  const toAccount = (row: {
    id: string;
    workspaceId: string;
    userId: string;
    externalId: string | null;
    scopes: string;
    status: string;
    refreshTokenSealed: string | null;
    accessTokenSealed: string | null;
    accessTokenExpiresAt: Date | null;
  }): GoogleAccount => ({
    id: row.id,
    workspaceId: row.workspaceId,
    userId: row.userId,
    email: row.externalId ?? undefined,
    scopes: parseScopes(row.scopes),
    status: row.status,
    refreshToken: unseal(row.refreshTokenSealed),
    accessToken: unseal(row.accessTokenSealed),
    accessTokenExpiresAt: row.accessTokenExpiresAt?.getTime(),
  });
  return {
    async find(workspaceId, userId) {
      const row = await database.connectedAccount.findUnique({
        where: { workspaceId_userId_provider: { workspaceId, userId, provider } },
      });
      return row ? toAccount(row) : undefined;
    },
    async saveGrant(grant) {
      const data = {
        externalId: grant.email ?? null,
        scopes: grant.scopes.join(" "),
        status: "active",
        refreshTokenSealed: sealer.seal(grant.refreshToken),
        accessTokenSealed: grant.accessToken ? sealer.seal(grant.accessToken) : null,
        accessTokenExpiresAt: grant.accessTokenExpiresAt ? new Date(grant.accessTokenExpiresAt) : null,
      };
      const row = await database.connectedAccount.upsert({
        where: {
          workspaceId_userId_provider: { workspaceId: grant.workspaceId, userId: grant.userId, provider },
        },
        update: data,
        create: { workspaceId: grant.workspaceId, userId: grant.userId, provider, ...data },
      });
      return toAccount(row);
    },
    async saveRefreshed(accountId, tokens) {
      await database.connectedAccount.updateMany({
        where: { id: accountId, status: "active" },
        data: {
          ...(tokens.access_token ? { accessTokenSealed: sealer.seal(tokens.access_token) } : {}),
          ...(tokens.expiry_date ? { accessTokenExpiresAt: new Date(tokens.expiry_date) } : {}),
          // Google may rotate the refresh token; keep the newest.
          ...(tokens.refresh_token ? { refreshTokenSealed: sealer.seal(tokens.refresh_token) } : {}),
          ...(tokens.scope ? { scopes: parseScopes(tokens.scope).join(" ") } : {}),
        },
      });
    },
    async markBroken(accountId, status) {
      await database.connectedAccount.updateMany({
        where: { id: accountId },
        data: { status, refreshTokenSealed: null, accessTokenSealed: null, accessTokenExpiresAt: null },
      });
    },
    async remove(accountId) {
      await database.connectedAccount.deleteMany({ where: { id: accountId } });
    },
  };
}
