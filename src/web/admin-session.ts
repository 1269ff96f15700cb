import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { sign, verify } from "../security/signing.js";
import { cookieOf } from "./http.js";

/**
 * The admin login for the run list and the queue dashboard: one configured password (ADMIN_PASSWORD).
 * Signing in sets an HttpOnly, SameSite=Lax cookie holding an expiry and an HMAC over it and the
 * password's hash, so changing the password signs everyone out. Without a configured password the
 * admin pages are off.
 */
export const adminCookie = "coworker_admin";
export const sessionLifetimeMs = 12 * 60 * 60 * 1000;

export interface AdminSessions {
  readonly enabled: boolean;
  passwordMatches(given: string): boolean;
  /** Set-Cookie value for a new session. */
  startCookie(): string;
  endCookie(): string;
  isAdmin(request: IncomingMessage): boolean;
}

export function createAdminSessions(options: {
  key: Buffer;
  password: string | undefined;
  now(): number;
  secure: boolean;
  lifetimeMs?: number;
}): AdminSessions {
  const password = options.password ?? "";
  const enabled = password.length > 0;
  const passwordHash = createHash("sha256").update(password).digest();
  const lifetimeMs = options.lifetimeMs ?? sessionLifetimeMs;
  const payload = (expires: string) => `admin-session\n${expires}\n${passwordHash.toString("hex")}`;
  const attributes = ["HttpOnly", "SameSite=Lax", "Path=/", ...(options.secure ? ["Secure"] : [])];
  return {
    enabled,
    passwordMatches(given) {
      if (!enabled) return false;
      const digest = createHash("sha256").update(given).digest();
      return timingSafeEqual(digest, passwordHash);
    },
    startCookie() {
      const expires = String(options.now() + lifetimeMs);
      const value = `${expires}.${sign(options.key, payload(expires))}`;
      return [`${adminCookie}=${value}`, ...attributes, `Max-Age=${Math.floor(lifetimeMs / 1000)}`].join(
        "; ",
      );
    },
    endCookie() {
      return [`${adminCookie}=`, ...attributes, "Max-Age=0"].join("; ");
    },
    isAdmin(request) {
      if (!enabled) return false;
      const value = cookieOf(request, adminCookie) ?? "";
      const [expires, signature, ...rest] = value.split(".");
      if (!expires || !signature || rest.length > 0 || !/^\d{1,16}$/.test(expires)) return false;
      return verify(options.key, payload(expires), signature) && Number(expires) > options.now();
    },
  };
}
