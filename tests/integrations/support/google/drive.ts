import type { ServerResponse } from "node:http";
import { apiError, notFound, type Route, route, type StandInRequest, sendJson, sendText } from "./http.js";
import { authenticate } from "./oauth.js";
import type { AccessToken, DriveFile, StandInState } from "./state.js";

/**
 * Drive API v3 (files list/get/export/create) and Docs API v1 (documents.batchUpdate insertText).
 * `q` supports the query terms the tools write: name contains, fullText contains, mimeType =,
 * trashed =, appProperties has {key and value}, joined with `and`. With only drive.file a person's
 * token sees just the files our app created, as in Drive.
 */
const readScopes = ["drive.readonly", "drive", "drive.file"];
const writeScopes = ["drive.file", "drive"];
const docsScopes = ["documents", "drive", "drive.file"];
export const googleTypes = {
  document: "application/vnd.google-apps.document",
  spreadsheet: "application/vnd.google-apps.spreadsheet",
  folder: "application/vnd.google-apps.folder",
};

export function driveRoutes(state: StandInState): Route[] {
  const visible = (access: AccessToken): DriveFile[] => {
    const files = state.accounts.get(access.grant.email)?.files ?? [];
    const full = access.scopes.some((scope) => /\/auth\/drive(\.readonly)?$/.test(scope));
    return full ? files : files.filter((file) => file.createdByApp);
  };
  const find = (request: StandInRequest, response: ServerResponse, scopes: string[]) => {
    const access = authenticate(state, request, response, scopes);
    if (!access) return undefined;
    const file = visible(access).find((item) => item.id === request.params[0]);
    if (!file) notFound(response, `File not found: ${request.params[0]}.`);
    return file;
  };
  return [
    route("GET", /^\/drive\/v3\/files$/, (request, response) => {
      const access = authenticate(state, request, response, readScopes);
      if (!access) return;
      const query = request.url.searchParams;
      const found = visible(access).filter((file) => matches(file, query.get("q") ?? ""));
      const size = Math.min(Number(query.get("pageSize") ?? 100), 1000);
      const offset = Number(query.get("pageToken") ?? 0);
      sendJson(response, 200, {
        kind: "drive#fileList",
        incompleteSearch: false,
        ...(offset + size < found.length ? { nextPageToken: String(offset + size) } : {}),
        files: found.slice(offset, offset + size).map(present),
      });
    }),
    route("GET", /^\/drive\/v3\/files\/([^/]+)$/, (request, response) => {
      const file = find(request, response, readScopes);
      if (!file) return;
      if (request.url.searchParams.get("alt") !== "media") return sendJson(response, 200, present(file));
      if (file.mimeType.startsWith("application/vnd.google-apps.")) {
        return apiError(
          response,
          403,
          "fileNotDownloadable",
          "Only files with binary content can be downloaded. Use Export with Docs Editors files.",
        );
      }
      sendText(response, 200, file.text ?? "", file.mimeType);
    }),
    route("GET", /^\/drive\/v3\/files\/([^/]+)\/export$/, (request, response) => {
      const file = find(request, response, readScopes);
      if (!file) return;
      const mimeType = request.url.searchParams.get("mimeType") ?? "";
      if (file.mimeType === googleTypes.document && mimeType === "text/plain") {
        return sendText(response, 200, `\uFEFF${file.text ?? ""}`, "text/plain");
      }
      if (file.mimeType === googleTypes.spreadsheet && mimeType === "text/csv") {
        const rows = file.sheets?.[0]?.rows ?? [];
        return sendText(
          response,
          200,
          rows.map((row) => row.map(csvCell).join(",")).join("\r\n"),
          "text/csv",
        );
      }
      if (!file.mimeType.startsWith("application/vnd.google-apps.")) {
        return apiError(response, 403, "fileNotExportable", "Export only supports Docs Editors files.");
      }
      apiError(response, 400, "badRequest", "The requested conversion is not supported.");
    }),
    route("POST", /^\/drive\/v3\/files$/, (request, response) => {
      const access = authenticate(state, request, response, writeScopes);
      if (!access) return;
      const body = request.json<Partial<DriveFile>>();
      const file: DriveFile = {
        id: state.nextId("1"),
        name: body.name ?? "Untitled",
        mimeType: body.mimeType ?? "application/octet-stream",
        owner: access.grant.email,
        modifiedTime: new Date(state.now()).toISOString(),
        text: body.mimeType === googleTypes.document ? "" : undefined,
        appProperties: body.appProperties,
        createdByApp: true,
      };
      state.accounts.get(access.grant.email)?.files.push(file);
      sendJson(response, 200, present(file));
    }),
    route("POST", /^\/v1\/documents\/([^/:]+):batchUpdate$/, (request, response) => {
      const file = find(request, response, docsScopes);
      if (!file) return;
      const body = request.json<{
        requests?: Array<{ insertText?: { text: string; location?: { index: number } } }>;
      }>();
      for (const item of body.requests ?? []) {
        if (!item.insertText) continue;
        const at = Math.max(0, (item.insertText.location?.index ?? 1) - 1);
        const text = file.text ?? "";
        file.text = text.slice(0, at) + item.insertText.text + text.slice(at);
      }
      sendJson(response, 200, {
        documentId: file.id,
        replies: (body.requests ?? []).map(() => ({})),
        writeControl: { requiredRevisionId: state.nextId("ALm37B") },
      });
    }),
  ];
}

function present(file: DriveFile): Record<string, unknown> {
  return {
    kind: "drive#file",
    id: file.id,
    name: file.name,
    mimeType: file.mimeType,
    modifiedTime: file.modifiedTime,
    webViewLink: `https://docs.google.com/open?id=${file.id}`,
    owners: [{ kind: "drive#user", emailAddress: file.owner, displayName: file.owner.split("@")[0] }],
    ...(file.text !== undefined && !file.mimeType.startsWith("application/vnd.google-apps.")
      ? { size: String(Buffer.byteLength(file.text)) }
      : {}),
    ...(file.appProperties ? { appProperties: file.appProperties } : {}),
  };
}

function matches(file: DriveFile, q: string): boolean {
  const clauses = splitClauses(q);
  return clauses.every((clause) => {
    const literal = (text: string) => text.replace(/^'|'$/g, "").replace(/\\'/g, "'").replace(/\\\\/g, "\\");
    let match = /^name contains (.+)$/i.exec(clause);
    if (match) return file.name.toLowerCase().includes(literal(match[1]!).toLowerCase());
    match = /^fullText contains (.+)$/i.exec(clause);
    if (match) {
      const word = literal(match[1]!).toLowerCase();
      const text = [file.name, file.text, ...(file.sheets ?? []).flatMap((sheet) => sheet.rows.flat())].join(
        " ",
      );
      return text.toLowerCase().includes(word);
    }
    match = /^mimeType\s*(!?=)\s*(.+)$/i.exec(clause);
    if (match) return (file.mimeType === literal(match[2]!)) === (match[1] === "=");
    match = /^trashed\s*=\s*(true|false)$/i.exec(clause);
    if (match) return Boolean(file.trashed) === (match[1] === "true");
    match = /^appProperties has \{ key='([^']*)' and value='([^']*)' \}$/i.exec(clause);
    if (match) return file.appProperties?.[match[1]!] === match[2];
    throw new Error(`stand-in: unsupported Drive query clause: ${clause}`);
  });
}

/** Splits on top-level `and` (not inside quotes or braces). */
function splitClauses(q: string): string[] {
  const clauses: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = "";
  for (let index = 0; index < q.length; index += 1) {
    const character = q[index]!;
    if (character === "\\" && quoted) {
      current += character + (q[index + 1] ?? "");
      index += 1;
      continue;
    }
    if (character === "'") quoted = !quoted;
    if (!quoted && character === "{") depth += 1;
    if (!quoted && character === "}") depth -= 1;
    if (!quoted && depth === 0 && /^\s+and\s+/i.test(q.slice(index)) && /\s/.test(character)) {
      clauses.push(current.trim());
      current = "";
      index += (/^\s+and\s+/i.exec(q.slice(index))?.[0].length ?? 1) - 1;
      continue;
    }
    current += character;
  }
  if (current.trim()) clauses.push(current.trim());
  return clauses;
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
