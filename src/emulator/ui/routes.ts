import type { IncomingMessage, ServerResponse } from "node:http";
import { ZodError } from "zod";
import { isCodedError } from "../../errors.js";
import type { EmulatorCore } from "../core.js";
import { parseBody, readRaw } from "../server/body.js";
import { sendJson, sendText } from "../server/http-server.js";
import { SlackMethodError } from "../web-api/method-error.js";
import { uiActions } from "./actions.js";
import { type Asset, publicAsset, vendorAsset } from "./assets.js";
import { streamChanges } from "./live.js";
import { channelMessages, ephemerals, personViews, threadMessages, workspaces } from "./queries.js";

/** Answers a request if it is the UI's (true), or leaves it to the emulator's other routes (false). */
export type UiRoutes = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<boolean>;

const bodyLimitBytes = 1024 * 1024;
/** Scripts only from the emulator itself, no inline script or handler: a second line against XSS. */
const pagePolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: http: https:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * The web UI for people: the page at `/` (for browsers; other clients still get the JSON status) and
 * at Slack-style permalinks (`/archives/C…/p…`), its files under `/ui/assets/`, and small JSON
 * endpoints under `/ui/api/` over the store, with the change stream at `/ui/api/events`.
 */
export function uiRoutes(core: EmulatorCore): UiRoutes {
  return async (request, response, url) => {
    const path = url.pathname;
    const method = request.method ?? "GET";
    if (method === "GET" && (path === "/" || path.startsWith("/archives/")) && wantsPage(request)) {
      await sendAsset(response, await publicAsset("index.html"), { "content-security-policy": pagePolicy });
      return true;
    }
    if (path === "/ui" || path === "/ui/") {
      response.writeHead(302, { location: "/" });
      response.end();
      return true;
    }
    if (!path.startsWith("/ui/")) return false;
    const asset = /^\/ui\/(assets|vendor)\/([^/]+)$/.exec(path);
    if (asset?.[2] && method === "GET") {
      await sendAsset(response, await (asset[1] === "vendor" ? vendorAsset : publicAsset)(asset[2]));
      return true;
    }
    try {
      await answerApi(core, request, response, path, method);
    } catch (error) {
      const failure = describeFailure(error);
      if (!failure) throw error;
      sendJson(response, 400, { ok: false, ...failure });
    }
    return true;
  };
}

async function answerApi(
  core: EmulatorCore,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  method: string,
): Promise<void> {
  if (method === "GET" && path === "/ui/api/events") return streamChanges(core, request, response);
  if (method === "GET" && path === "/ui/api/workspaces") return sendJson(response, 200, workspaces(core));
  const file = /^\/ui\/api\/files\/(F[A-Z0-9]+)$/.exec(path);
  if (file?.[1] && method === "GET") return sendFile(core, response, file[1]);

  const scoped = /^\/ui\/api\/teams\/([A-Z0-9]+)\/(.+)$/.exec(path);
  const teamId = scoped?.[1];
  const rest = scoped?.[2] ?? "";
  if (!teamId || !core.store.directory.team(teamId)) return sendJson(response, 404, notFound);
  const action = /^actions\/([a-z-]+)$/.exec(rest)?.[1];
  if (action && method === "POST") {
    const run = Object.hasOwn(uiActions, action) ? uiActions[action] : undefined;
    if (!run) return sendJson(response, 404, notFound);
    if (!(request.headers["content-type"] ?? "").startsWith("application/json")) {
      // JSON only: a page on another origin cannot send it without a CORS preflight, which fails.
      return sendJson(response, 415, { ok: false, error: "json_required" });
    }
    const body = await parseBody(request, await readRaw(request, bodyLimitBytes));
    if (body.invalidJson) return sendJson(response, 400, { ok: false, error: "invalid_json" });
    return sendJson(response, 200, await run(core, teamId, body.fields));
  }
  if (method !== "GET") return sendJson(response, 404, notFound);
  const conversation = /^conversations\/([A-Z0-9]+)\/(messages|threads\/([0-9.]+))$/.exec(rest);
  if (conversation?.[1]) {
    const channel = core.store.directory.conversation(conversation[1]);
    if (channel?.teamId !== teamId) return sendJson(response, 404, notFound);
    const threadTs = conversation[3];
    return sendJson(
      response,
      200,
      threadTs ? threadMessages(core, channel.id, threadTs) : channelMessages(core, channel.id),
    );
  }
  const person = /^people\/([A-Z0-9]+)\/(ephemerals|views)$/.exec(rest);
  if (person?.[1]) {
    const user = core.store.directory.user(person[1]);
    if (user?.teamId !== teamId) return sendJson(response, 404, notFound);
    const answer =
      person[2] === "views" ? personViews(core, teamId, user.id) : ephemerals(core, teamId, user.id);
    return sendJson(response, 200, answer);
  }
  sendJson(response, 404, notFound);
}

const notFound = { ok: false, error: "not_found" };

function wantsPage(request: IncomingMessage): boolean {
  return (request.headers.accept ?? "").includes("text/html");
}

async function sendAsset(
  response: ServerResponse,
  asset: Asset | undefined,
  headers: Record<string, string> = {},
): Promise<void> {
  if (!asset) return sendText(response, 404, "not_found");
  response.writeHead(200, {
    "content-type": asset.contentType,
    "cache-control": "no-cache",
    "x-content-type-options": "nosniff",
    ...headers,
  });
  response.end(asset.content);
}

/** A file's bytes, always as a download: never rendered as a page of the emulator's origin. */
function sendFile(core: EmulatorCore, response: ServerResponse, id: string): void {
  const file = core.store.file(id);
  if (!file?.content) {
    sendText(response, 404, "not_found");
    return;
  }
  response.writeHead(200, {
    "content-type": "application/octet-stream",
    "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    "x-content-type-options": "nosniff",
  });
  response.end(file.content);
}

/** Input errors the person (or the page) made, as `{ error, detail }`; undefined for real failures. */
function describeFailure(error: unknown): { error: string; detail: string } | undefined {
  if (error instanceof ZodError) return { error: "invalid_input", detail: error.message };
  if (isCodedError(error, "emulator_misuse")) return { error: "not_possible", detail: error.message };
  if (error instanceof SlackMethodError) return { error: error.error, detail: error.message };
  return undefined;
}
