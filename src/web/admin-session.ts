import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Redis } from "ioredis";
import { sign } from "../security/signing.js";
import { cookieOf } from "./http.js";

/**
 * The admin login for the run list and the queue dashboard: one configured password (ADMIN_PASSWORD).
 * Signing in makes a session in Redis (so every web replica sees it, and signing out ends it for all
 * of them: a copied cookie stops working) and sets an HttpOnly, SameSite=Lax cookie holding only its
 * random id. Redis keeps a hash of the id, never the id, with a fingerprint of the password, so
 * changing the password signs everyone out. Without a configured password the admin pages are off.
 */
export const adminCookie = "coworker_admin";
export const sessionLifetimeMs = 12 * 60 * 60 * 1000;

export interface AdminSessions {
  readonly enabled: boolean;
  passwordMatches(given: string): boolean;
  /** Stores a new session and returns its Set-Cookie value. */
  start(): Promise<string>;
  /** Ends the request's session (if any) server-side, and returns the Set-Cookie value that clears it. */
  end(request: IncomingMessage): Promise<string>;
  isAdmin(request: IncomingMessage): Promise<boolean>;
}

export function createAdminSessions(options: {
  redis: Redis;
  /** Redis key prefix (QUEUE_PREFIX), so test stacks and deployments sharing a Redis stay apart. */
  prefix: string;
  key: Buffer;
  password: string | undefined;
  secure: boolean;
  lifetimeMs?: number;
}): AdminSessions {
  const password = options.password ?? "";
  const enabled = password.length > 0;
  const passwordHash = createHash("sha256").update(password).digest();
  const fingerprint = sign(options.key, `admin-password\n${passwordHash.toString("hex")}`);
  const lifetimeMs = options.lifetimeMs ?? sessionLifetimeMs;
  const attributes = ["HttpOnly", "SameSite=Lax", "Path=/", ...(options.secure ? ["Secure"] : [])];
  const keyOf = (id: string) =>
    `${options.prefix}:admin-session:${createHash("sha256").update(id).digest("hex")}`;
  const idOf = (request: IncomingMessage) => {
    const value = cookieOf(request, adminCookie) ?? "";
    return /^[A-Za-z0-9_-]{43}$/.test(value) ? value : undefined;
  };
  return {
    enabled,
    passwordMatches(given) {
      if (!enabled) return false;
      const digest = createHash("sha256").update(given).digest();
      return timingSafeEqual(digest, passwordHash);
    },
    async start() {
      const id = randomBytes(32).toString("base64url");
      await options.redis.set(keyOf(id), fingerprint, "PX", lifetimeMs);
      return [`${adminCookie}=${id}`, ...attributes, `Max-Age=${Math.floor(lifetimeMs / 1000)}`].join("; ");
    },
    async end(request) {
      const id = idOf(request);
      if (id) await options.redis.del(keyOf(id));
      return [`${adminCookie}=`, ...attributes, "Max-Age=0"].join("; ");
    },
    async isAdmin(request) {
      if (!enabled) return false;
      const id = idOf(request);
      if (!id) return false;
      return (await options.redis.get(keyOf(id))) === fingerprint;
    },
  };
}
