import type { IncomingMessage, ServerResponse } from "node:http";
import type { CustomRoute } from "@slack/bolt";
import { errorMessage } from "../../errors.js";
import type { GoogleIntegration } from "./integration.js";
import { page } from "./pages.js";
import { callbackPath, slackCallbackPath, startPath } from "./settings.js";

/**
 * The web role's connect endpoints. GET /oauth/google/start shows who a connect link is for (it does
 * not use the link up: link scanners fetch it too); POST /oauth/google/start (Continue) uses it up
 * and sends the browser to Sign in with Slack; GET /oauth/google/slack-callback goes on to Google only
 * when the signed-in Slack user is the link's; GET /oauth/google/callback finishes. Each step sets a
 * cookie tying the next one to this browser.
 */
const slackCookie = "coworker_slack_signin";
const googleCookie = "coworker_google_flow";
const formLimitBytes = 4096;

export function googleOAuthRoutes(google: GoogleIntegration): CustomRoute[] {
  const { logger, settings, slashCommand } = google.deps;
  const secure = settings.publicUrl.startsWith("https://");
  const again = `Go back to Slack and run ${slashCommand} connect google to try again.`;
  const route = (
    path: string,
    method: string,
    handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
  ) => ({
    path,
    method,
    handler: (request: IncomingMessage, response: ServerResponse) => {
      void handle(request, response).catch((error: unknown) => failed(response, error));
    },
  });
  return [
    route(startPath, "GET", interstitial),
    route(startPath, "POST", proceed),
    route(slackCallbackPath, "GET", slackCallback),
    route(callbackPath, "GET", callback),
  ];

  async function interstitial(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const token = query(request).get("link") ?? "";
    const found = await google.openLink(token);
    if (found.status !== "open") return refuseLink(response, found.status);
    if (!settings.slackSignIn) return notConfigured(response);
    const person = await google.person(found.link);
    html(
      response,
      200,
      "Connect your Google account",
      [
        `This link connects a Google account to ${person.name} in the ${person.workspaceName} Slack workspace, and works once.`,
        "Continue asks you to sign in with Slack first. If you are not " +
          `${person.name}, stop here: nothing will be connected, and someone may have sent you this link to reach your Google account.`,
      ].join("\n\n"),
      { action: startPath, fields: { link: token }, button: `Continue as ${person.name}` },
    );
  }

  async function proceed(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(request));
    const outcome = await google.continueLink(form.get("link") ?? "");
    if (outcome.type === "refused") {
      return outcome.reason === "not_configured"
        ? notConfigured(response)
        : refuseLink(response, outcome.reason);
    }
    redirect(response, outcome.url, slackCookie, outcome.nonce);
  }

  async function slackCallback(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const parameters = query(request);
    const outcome = await google.verify({
      state: parameters.get("state") ?? "",
      code: parameters.get("code") ?? undefined,
      error: parameters.get("error") ?? undefined,
      browserNonce: cookie(request, slackCookie),
    });
    switch (outcome.type) {
      case "google":
        return redirect(response, outcome.url, googleCookie, outcome.nonce);
      case "wrong_person": {
        const person = await google.person(outcome.link);
        return html(
          response,
          403,
          "This link is not yours",
          `It was made for ${person.name} in the ${person.workspaceName} Slack workspace, but you signed in to Slack as someone else. Nothing was connected, and the link no longer works. To connect your own Google account, run ${slashCommand} connect google in Slack.`,
        );
      }
      case "denied":
        return html(
          response,
          200,
          "Not connected",
          `You did not sign in with Slack, so nothing was connected. ${again}`,
        );
      default:
        logger.warn({ reason: outcome.reason }, "sign in with slack callback refused");
        return refused(response, outcome.reason);
    }
  }

  async function callback(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const parameters = query(request);
    const outcome = await google.complete({
      state: parameters.get("state") ?? "",
      code: parameters.get("code") ?? undefined,
      error: parameters.get("error") ?? undefined,
      browserNonce: cookie(request, googleCookie),
    });
    switch (outcome.type) {
      case "connected":
        return html(
          response,
          200,
          "Google account connected",
          `${outcome.account.email ?? "Your Google account"} is connected. You can close this tab and go back to Slack.`,
        );
      case "denied":
        return html(
          response,
          200,
          "Not connected",
          `You did not allow access, so nothing was connected. ${again}`,
        );
      case "email_mismatch":
        return html(
          response,
          403,
          "This Google account does not match your Slack profile",
          `You signed in to Google as ${outcome.googleEmail ?? "an account without an address"}, but the address on your Slack profile is ${outcome.slackEmail}. Nothing was connected. ${again} Sign in to Google as ${outcome.slackEmail}.`,
        );
      default:
        logger.warn({ reason: outcome.reason }, "google oauth callback refused");
        return refused(response, outcome.reason);
    }
  }

  function refused(response: ServerResponse, reason: string): void {
    html(
      response,
      400,
      "This sign-in could not be completed",
      reason === "used_or_expired"
        ? `This sign-in link was already used or has expired. ${again}`
        : reason === "browser"
          ? `Please finish connecting in the same browser you started in. ${again}`
          : `Something did not match. ${again}`,
    );
  }

  function refuseLink(response: ServerResponse, status: "unknown" | "expired" | "used"): void {
    const next = `Ask again in Slack (or run ${slashCommand} connect google) for a new link.`;
    if (status === "used") {
      html(response, 410, "This link was already used", `Each connect link works only once. ${next}`);
      return;
    }
    html(response, 400, status === "expired" ? "This link has expired" : "This link is not valid", next);
  }

  function notConfigured(response: ServerResponse): void {
    html(
      response,
      503,
      "Connecting Google is not available yet",
      `Before connecting Google I must check that you are the Slack user this link was made for (Sign in with Slack), and that is not set up. An admin must set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (the Slack app's credentials, on its Basic Information page) and add ${settings.publicUrl}${slackCallbackPath} to the app's redirect URLs. Nothing was connected.`,
    );
  }

  function redirect(response: ServerResponse, location: string, name: string, value: string): void {
    response.writeHead(303, {
      location,
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
      "set-cookie": [
        `${name}=${value}`,
        "HttpOnly",
        "SameSite=Lax",
        "Path=/oauth/google",
        `Max-Age=${Math.floor(settings.flowLifetimeMs / 1000)}`,
        ...(secure ? ["Secure"] : []),
      ].join("; "),
    });
    response.end();
  }

  function failed(response: ServerResponse, error: unknown): void {
    logger.error({ error: errorMessage(error) }, "google oauth route failed");
    if (!response.headersSent) html(response, 500, "Something went wrong", "Please try again in a moment.");
  }
}

function query(request: IncomingMessage): URLSearchParams {
  return new URL(request.url ?? "/", "http://localhost").searchParams;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > formLimitBytes) break;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function cookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}

function html(
  response: ServerResponse,
  status: number,
  title: string,
  message: string,
  form?: Parameters<typeof page>[2],
): void {
  response.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
  });
  response.end(page(title, message, form));
}
