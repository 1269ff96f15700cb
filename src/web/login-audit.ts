import type { IncomingMessage } from "node:http";
import type { Logger } from "../logger.js";
import type { Database } from "../storage/database.js";

/**
 * The admin login's audit trail: every sign-in, failed guess and sign-out is a row in
 * AdminLoginAudit (when, from which address, which browser). Guesses refused by the rate limit are
 * not checked against the password and not stored (a flood would fill the table); they are logged.
 */
export type LoginOutcome = "success" | "failure" | "logout";

export interface LoginAudit {
  record(outcome: LoginOutcome, request: IncomingMessage, address: string): Promise<void>;
  throttled(address: string, retryAfterMs: number): void;
}

export function createLoginAudit(database: Database, logger: Logger): LoginAudit {
  return {
    async record(outcome, request, address) {
      const userAgent = request.headers["user-agent"]?.slice(0, 300);
      await database.adminLoginAudit.create({
        data: { outcome, address: address.slice(0, 100), ...(userAgent ? { userAgent } : {}) },
      });
      logger.info({ outcome, address }, "admin login");
    },
    throttled(address, retryAfterMs) {
      logger.warn({ address, retryAfterMs }, "admin login refused by the rate limit");
    },
  };
}

/** The client's address: from the trusted proxy's header when one is configured, else the socket's. */
export function clientAddress(request: IncomingMessage, header: string | undefined): string {
  const fromHeader = header ? request.headers[header] : undefined;
  const value = Array.isArray(fromHeader) ? fromHeader[0] : fromHeader;
  return value?.split(",")[0]?.trim() || request.socket.remoteAddress || "unknown";
}
