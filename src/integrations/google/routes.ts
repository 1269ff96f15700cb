import type { IncomingMessage, ServerResponse } from "node:http";
import type { CustomRoute } from "@slack/bolt";
import { errorMessage } from "../../errors.js";
import { verifyConnectLink } from "./connect-link.js";
import type { GoogleIntegration } from "./integration.js";
import { page } from "./pages.js";
import { callbackPath, startPath } from "./settings.js";

/**
 * The web role's OAuth endpoints. GET /oauth/google/start checks the signed connect link, starts a
 * flow and redirects to Google (setting a cookie that ties the flow to this browser); GET
 * /oauth/google/callback finishes it.
 */
const cookieName = "coworker_google_flow";

export function googleOAuthRoutes(google: GoogleIntegration): CustomRoute[] {
  const { logger, settings } = google.deps;
  const secure = settings.publicUrl.startsWith("https://");
  return [
    {
      path: startPath,
      method: "GET",
      handler: (request, response) => {
        void start(request, response).catch((error: unknown) => failed(response, error));
      },
    },
    {
      path: callbackPath,
      method: "GET",
      handler: (request, response) => {
        void callback(request, response).catch((error: unknown) => failed(response, error));
      },
    },
  ];

  async function start(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const check = verifyConnectLink(google.deps.keys.links, query(request), google.deps.now());
    if (!check.valid) {
      const expired = check.reason === "expired";
      html(
        response,
        400,
        expired ? "This link has expired" : "This link is not valid",
        `Ask again in Slack (or run ${google.deps.slashCommand} connect google) for a new link.`,
      );
      return;
    }
    const started = await google.begin(check.request);
    response.writeHead(302, {
      location: started.url,
      "cache-control": "no-store",
      "set-cookie": [
        `${cookieName}=${started.nonce}`,
        "HttpOnly",
        "SameSite=Lax",
        "Path=/oauth/google",
        `Max-Age=${Math.floor(settings.flowLifetimeMs / 1000)}`,
        ...(secure ? ["Secure"] : []),
      ].join("; "),
    });
    response.end();
  }

  async function callback(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const parameters = query(request);
    const outcome = await google.complete({
      state: parameters.get("state") ?? "",
      code: parameters.get("code") ?? undefined,
      error: parameters.get("error") ?? undefined,
      browserNonce: cookie(request, cookieName),
    });
    const again = `Go back to Slack and run ${google.deps.slashCommand} connect google to try again.`;
    switch (outcome.type) {
      case "connected":
        html(
          response,
          200,
          "Google account connected",
          `${outcome.account.email ?? "Your Google account"} is connected. You can close this tab and go back to Slack.`,
        );
        return;
      case "denied":
        html(response, 200, "Not connected", `You did not allow access, so nothing was connected. ${again}`);
        return;
      default:
        logger.warn({ reason: outcome.reason }, "google oauth callback refused");
        html(
          response,
          400,
          "This sign-in could not be completed",
          outcome.reason === "used_or_expired"
            ? `This sign-in link was already used or has expired. ${again}`
            : outcome.reason === "browser"
              ? `Please finish connecting in the same browser you started in. ${again}`
              : `Something did not match. ${again}`,
        );
    }
  }

  function failed(response: ServerResponse, error: unknown): void {
    logger.error({ error: errorMessage(error) }, "google oauth route failed");
    if (!response.headersSent) html(response, 500, "Something went wrong", "Please try again in a moment.");
  }
}

function query(request: IncomingMessage): URLSearchParams {
  return new URL(request.url ?? "/", "http://localhost").searchParams;
}

function cookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}

function html(response: ServerResponse, status: number, title: string, message: string): void {
  response.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
  });
  response.end(page(title, message));
}
