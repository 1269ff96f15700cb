import type { IncomingMessage, ServerResponse } from "node:http";
import type { AdminSessions } from "./admin-session.js";
import { localPath, queryOf, readForm, redirect, sendHtml } from "./http.js";
import { loginPage } from "./message-pages.js";

/** GET/POST /admin/login and POST /admin/logout. */
type Handler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

export function adminHandlers(sessions: AdminSessions): Record<"form" | "login" | "logout", Handler> {
  return {
    async form(request, response) {
      const next = localPath(queryOf(request).get("next"), "/runs");
      if (sessions.isAdmin(request)) {
        redirect(response, next);
        return;
      }
      sendHtml(response, sessions.enabled ? 200 : 404, loginPage({ next, enabled: sessions.enabled }));
    },
    async login(request, response) {
      const form = await readForm(request);
      const next = localPath(form.get("next"), "/runs");
      if (!sessions.passwordMatches(form.get("password") ?? "")) {
        sendHtml(
          response,
          sessions.enabled ? 401 : 404,
          loginPage({ next, enabled: sessions.enabled, failed: true }),
        );
        return;
      }
      redirect(response, next, { "set-cookie": sessions.startCookie() });
    },
    async logout(_request, response) {
      redirect(response, "/admin/login", { "set-cookie": sessions.endCookie() });
    },
  };
}
