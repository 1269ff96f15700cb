import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorCore } from "../core.js";
import { handleResponseUrl } from "../interactivity/respond.js";
import { issueOAuthCode } from "../oauth-flow.js";
import { handleOpenIdPage } from "../openid.js";
import { uiRoutes } from "../ui/routes.js";
import type { MethodDefinition } from "../web-api/definition.js";
import { handleApiRequest } from "../web-api/handle-request.js";
import { parseBody, readRaw } from "./body.js";
import { sendJson, sendText } from "./http-server.js";

const bodyLimitBytes = 64 * 1024 * 1024;

function bearer(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match?.[1]?.trim();
}

/**
 * The emulator's HTTP surface: Web API, file upload/download, response_url, the OAuth redirect, and
 * the web UI for people (../ui: the page at `/` for browsers, `/ui/...`).
 */
export function emulatorRoutes(core: EmulatorCore, registry: Map<string, MethodDefinition>) {
  const ui = uiRoutes(core);
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? "/", "http://emulator.local");
    if (await ui(request, response, url)) return;
    const path = url.pathname;
    const method = request.method ?? "GET";

    const api = /^\/api\/([A-Za-z0-9._]+)$/.exec(path);
    if (api?.[1]) {
      const body = await parseBody(request, await readRaw(request, bodyLimitBytes));
      if (body.invalidJson) {
        sendJson(response, 200, { ok: false, error: "invalid_json", response_metadata: { messages: [] } });
        return;
      }
      const args = { ...Object.fromEntries(url.searchParams), ...body.fields };
      const answer = await handleApiRequest(core, registry, {
        method: api[1],
        args,
        bearerToken: bearer(request),
      });
      sendJson(response, answer.status, answer.body, answer.headers);
      return;
    }

    const upload = /^\/upload\/v1\/([a-f0-9]+)$/.exec(path);
    if (upload?.[1] && method === "POST") {
      const file = core.store.allFiles().find((candidate) => candidate.uploadKey === upload[1]);
      if (!file) return sendText(response, 404, "not_found");
      const body = await parseBody(request, await readRaw(request, bodyLimitBytes));
      const part = body.files.values().next().value;
      const content = part?.content ?? body.raw;
      file.content = content;
      file.length = content.length;
      if (part?.type) file.mimetype = part.type;
      return sendText(response, 200, `OK - ${content.length}`);
    }

    const download = /^\/files\/(F[A-Z0-9]+)(\/.*)?$/.exec(path);
    if (download?.[1] && method === "GET") {
      const file = core.store.file(download[1]);
      const install = core.store.directory.installForToken(bearer(request) ?? "");
      if (!file?.content || !install || install.teamId !== file.teamId)
        return sendText(response, 404, "not_found");
      response.writeHead(200, {
        "content-type": file.mimetype,
        "content-length": String(file.content.length),
      });
      response.end(file.content);
      return;
    }

    const responseUrl = /^\/response\/(.+)$/.exec(path);
    if (responseUrl?.[1] && method === "POST") {
      const body = await parseBody(request, await readRaw(request, bodyLimitBytes));
      const payload = typeof body.fields.payload === "string" ? safeJson(body.fields.payload) : body.fields;
      const answer = handleResponseUrl(core, responseUrl[1], body.invalidJson ? undefined : payload);
      return sendJson(response, answer.status, answer.body);
    }

    if (path === "/oauth/v2/authorize" && method === "GET") {
      const redirectUri = url.searchParams.get("redirect_uri") ?? undefined;
      if (url.searchParams.get("client_id") !== core.app.clientId || !redirectUri) {
        return sendText(response, 400, "invalid_client_id or missing redirect_uri");
      }
      const code = issueOAuthCode(core, { teamId: url.searchParams.get("team") ?? undefined, redirectUri });
      const target = new URL(redirectUri);
      target.searchParams.set("code", code);
      const state = url.searchParams.get("state");
      if (state) target.searchParams.set("state", state);
      response.writeHead(302, { location: target.toString() });
      response.end();
      return;
    }

    if (handleOpenIdPage(core, request, response, url)) return;

    if (path === "/" || path === "/health") {
      return sendJson(response, 200, { ok: true, apiUrl: core.urls.api });
    }
    sendJson(response, 404, { ok: false, error: "not_found" });
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
