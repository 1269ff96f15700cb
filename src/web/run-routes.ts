import type { IncomingMessage, ServerResponse } from "node:http";
import type { Redactor } from "../security/redact.js";
import type { Database } from "../storage/database.js";
import type { AdminSessions } from "./admin-session.js";
import { parameter, queryOf, redirect, sendHtml, sendText } from "./http.js";
import { messagePage } from "./message-pages.js";
import { checkRunLink, grantQuery } from "./run-links.js";
import { filterFrom, listRuns } from "./run-list.js";
import { runListPage } from "./run-list-page.js";
import { runPage } from "./run-page.js";
import { loadRunView, type RunView } from "./run-view.js";
import type { SlackNames } from "./slack-names.js";

/**
 * The run viewer's handlers. A run's page and its sub-resources (a tool call's full result, an
 * artifact) are open to the admin session, or to a valid link for that very run (signed, not expired,
 * not revoked: ./run-links.ts); anything of another run is refused the same way as a run that does not
 * exist. The list is for admins only.
 */
export interface RunRouteServices {
  database: Database;
  keys: { links: Buffer };
  now(): number;
  sessions: AdminSessions;
  redact: Redactor;
  /** People's and channels' names shown instead of their ids (./slack-names.ts). */
  names?: SlackNames;
}

type Handler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

export function runRouteHandlers(
  services: RunRouteServices,
): Record<"list" | "page" | "toolCall" | "artifact", Handler> {
  const { database, sessions, redact } = services;

  /** Whether this request may see run `runId`; answers the refusal itself when not. */
  const mayView = async (
    request: IncomingMessage,
    response: ServerResponse,
    runId: string,
    asPage: boolean,
  ): Promise<boolean> => {
    if (await sessions.isAdmin(request)) return true;
    const check = await checkRunLink(services, runId, queryOf(request), services.now());
    if (check === "valid") return true;
    if (check === "absent" && asPage) {
      redirect(response, `/admin/login?next=${encodeURIComponent(request.url ?? "/runs")}`);
      return false;
    }
    const title =
      check === "expired"
        ? "This link has expired"
        : check === "revoked"
          ? "This link was revoked"
          : "This link is not valid";
    const message =
      "The person who asked for the run can get a fresh link with the View run button in its Slack thread; admins sign in.";
    if (asPage) sendHtml(response, 403, messagePage(title, message));
    else sendText(response, 403, `${title}. ${message}`);
    return false;
  };

  return {
    async list(request, response) {
      if (!(await sessions.isAdmin(request))) {
        redirect(response, `/admin/login?next=${encodeURIComponent(request.url ?? "/runs")}`);
        return;
      }
      const filter = filterFrom(queryOf(request));
      sendHtml(response, 200, runListPage(filter, await listRuns(database, filter, redact)));
    },

    async page(request, response) {
      const runId = parameter(request, "id");
      if (!(await mayView(request, response, runId, true))) return;
      const view = isUuid(runId) ? await loadRunView(database, runId, redact) : undefined;
      if (!view) {
        sendHtml(response, 404, messagePage("Run not found", "There is no run with this id."));
        return;
      }
      const grant = grantQuery(queryOf(request));
      const names = services.names
        ? await services.names.resolve(view.run.workspaceId, slackIdsOf(view))
        : new Map<string, string>();
      const shown = new Map([...names].map(([id, name]) => [id, redact(name)]));
      sendHtml(response, 200, runPage(view, { grant, admin: await sessions.isAdmin(request), names: shown }));
    },

    async toolCall(request, response) {
      const runId = parameter(request, "id");
      if (!(await mayView(request, response, runId, false))) return;
      const id = parameter(request, "callId");
      const call =
        isUuid(runId) && isUuid(id) ? await database.toolCall.findFirst({ where: { id, runId } }) : null;
      if (!call) {
        sendText(response, 404, "No such tool call in this run.");
        return;
      }
      sendText(response, 200, redact(resultText(call.status, call.result)));
    },

    async artifact(request, response) {
      const runId = parameter(request, "id");
      if (!(await mayView(request, response, runId, false))) return;
      const handle = parameter(request, "handle");
      const artifact = isUuid(runId)
        ? await database.artifact.findFirst({ where: { runId, id: { in: [`${runId}/${handle}`, handle] } } })
        : null;
      if (!artifact) {
        sendText(response, 404, "No such artifact in this run.");
        return;
      }
      sendText(response, 200, redact(artifact.content));
    },
  };
}

/** A ledger result as text: the tool's content, its error, or the JSON as stored. */
function resultText(status: string, result: unknown): string {
  const value = (result ?? {}) as { content?: unknown; error?: unknown };
  if (typeof value.content === "string") return value.content;
  if (typeof value.error === "string") return `${status}: ${value.error}`;
  return result === null || result === undefined
    ? `(no result: the call is ${status})`
    : JSON.stringify(result, null, 2);
}

/** The people and channels a run page mentions. */
function slackIdsOf(view: RunView): string[] {
  const ids = [view.run.requesterId, view.run.channel];
  for (const approval of view.approvals) {
    if (approval.decidedBy) ids.push(approval.decidedBy);
  }
  return ids;
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
