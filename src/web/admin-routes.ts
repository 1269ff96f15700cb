import type { IncomingMessage, ServerResponse } from "node:http";
import type { AdminSessions } from "./admin-session.js";
import { localPath, queryOf, readForm, redirect, sendHtml } from "./http.js";
import { clientAddress, type LoginAudit } from "./login-audit.js";
import type { LoginThrottle } from "./login-throttle.js";
import { loginPage } from "./message-pages.js";

/**
 * GET/POST /admin/login and POST /admin/logout. A guess is first admitted by the rate limit (which
 * counts it), then checked; every checked guess and every sign-out is audited.
 */
type Handler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

export interface AdminLogin {
  sessions: AdminSessions;
  throttle: LoginThrottle;
  audit: LoginAudit;
  /** The header a trusted proxy sets to the client's address (ADMIN_ADDRESS_HEADER). */
  addressHeader: string | undefined;
}

export function adminHandlers(login: AdminLogin): Record<"form" | "login" | "logout", Handler> {
  const { sessions, throttle, audit } = login;
  return {
    async form(request, response) {
      const next = localPath(queryOf(request).get("next"), "/runs");
      if (await sessions.isAdmin(request)) {
        redirect(response, next);
        return;
      }
      sendHtml(response, sessions.enabled ? 200 : 404, loginPage({ next, enabled: sessions.enabled }));
    },
    async login(request, response) {
      const form = await readForm(request);
      const next = localPath(form.get("next"), "/runs");
      if (!sessions.enabled) {
        sendHtml(response, 404, loginPage({ next, enabled: false }));
        return;
      }
      const address = clientAddress(request, login.addressHeader);
      const admission = await throttle.admit(address);
      if (!admission.admitted) {
        audit.throttled(address, admission.retryAfterMs);
        const seconds = Math.ceil(admission.retryAfterMs / 1000);
        sendHtml(response, 429, loginPage({ next, enabled: true, retryAfterSeconds: seconds }), {
          "retry-after": String(seconds),
        });
        return;
      }
      if (!sessions.passwordMatches(form.get("password") ?? "")) {
        await audit.record("failure", request, address);
        sendHtml(response, 401, loginPage({ next, enabled: true, failed: true }));
        return;
      }
      await throttle.succeeded(address);
      await audit.record("success", request, address);
      redirect(response, next, { "set-cookie": await sessions.start() });
    },
    async logout(request, response) {
      const signedIn = await sessions.isAdmin(request);
      const cookie = await sessions.end(request);
      if (signedIn) await audit.record("logout", request, clientAddress(request, login.addressHeader));
      redirect(response, "/admin/login", { "set-cookie": cookie });
    },
  };
}
