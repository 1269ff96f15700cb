import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * A tiny router and Google's error formats for the stand-in. API errors follow Google's JSON error
 * format (`{error: {code, message, errors: [{domain, reason, message}], status}}`, see the Gmail
 * "Resolve errors" guide); the OAuth endpoints answer `{error, error_description}` (RFC 6749 5.2).
 */
export interface StandInRequest {
  method: string;
  url: URL;
  path: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
  params: string[];
  json<T = Record<string, unknown>>(): T;
  form(): URLSearchParams;
}

export type Handler = (request: StandInRequest, response: ServerResponse) => void | Promise<void>;

export interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

export function route(method: string, pattern: RegExp, handler: Handler): Route {
  return { method, pattern, handler };
}

export async function readRequest(request: IncomingMessage): Promise<Omit<StandInRequest, "params">> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  return {
    method: request.method ?? "GET",
    url,
    path: url.pathname,
    headers: request.headers,
    body,
    json: () => (body.length ? JSON.parse(body.toString("utf8")) : {}),
    form: () => new URLSearchParams(body.toString("utf8")),
  };
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json; charset=UTF-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

export function sendText(response: ServerResponse, status: number, text: string, mediaType: string): void {
  response.writeHead(status, {
    "content-type": mediaType,
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

const statusNames: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "ALREADY_EXISTS",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
};

export function apiError(
  response: ServerResponse,
  status: number,
  reason: string,
  message: string,
  options: { domain?: string; headers?: Record<string, string> } = {},
): void {
  sendJson(
    response,
    status,
    {
      error: {
        code: status,
        message,
        errors: [{ message, domain: options.domain ?? "global", reason }],
        status: statusNames[status] ?? "UNKNOWN",
      },
    },
    options.headers,
  );
}

export function oauthError(response: ServerResponse, status: number, error: string, description: string) {
  sendJson(response, status, { error, error_description: description });
}

export function notFound(response: ServerResponse, what = "Requested entity was not found."): void {
  apiError(response, 404, "notFound", what);
}

export function redirect(response: ServerResponse, location: string): void {
  response.writeHead(302, { location });
  response.end();
}
