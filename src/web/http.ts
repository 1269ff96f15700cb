import type { IncomingMessage, ServerResponse } from "node:http";
import type { SafeHtml } from "./html.js";

/** Small request and response helpers for the web role's pages (plain node:http, as Bolt gives them). */
export function queryOf(request: IncomingMessage): URLSearchParams {
  return new URL(request.url ?? "/", "http://localhost").searchParams;
}

export function pathOf(request: IncomingMessage): string {
  return new URL(request.url ?? "/", "http://localhost").pathname;
}

/** A route parameter Bolt matched (`/runs/:id` -> params.id). */
export function parameter(request: IncomingMessage, name: string): string {
  const params = (request as IncomingMessage & { params?: Record<string, string | string[]> }).params;
  const value = params?.[name];
  return Array.isArray(value) ? value.join("/") : (value ?? "");
}

export function cookieOf(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}

/** Pages show runs: never cached, never framed, never sending the (signed) address on as a referrer. */
const pageHeaders = {
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

export function sendHtml(
  response: ServerResponse,
  status: number,
  page: SafeHtml,
  headers: Record<string, string | string[]> = {},
): void {
  response.writeHead(status, { "content-type": "text/html; charset=utf-8", ...pageHeaders, ...headers });
  response.end(page.value);
}

export function sendText(
  response: ServerResponse,
  status: number,
  text: string,
  contentType = "text/plain",
): void {
  response.writeHead(status, { "content-type": `${contentType}; charset=utf-8`, ...pageHeaders });
  response.end(text);
}

export function redirect(
  response: ServerResponse,
  location: string,
  headers: Record<string, string | string[]> = {},
): void {
  response.writeHead(303, { location, "cache-control": "no-store", ...headers });
  response.end();
}

/** Reads an application/x-www-form-urlencoded body of at most `limit` bytes. */
export async function readForm(request: IncomingMessage, limit = 16_384): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > limit) throw new Error("form body too large");
    chunks.push(buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

const siteOrigin = "https://coworker.invalid";

/**
 * Only same-site paths: `/runs?state=failed`, never `//evil.example`, `https://...` or `/\t/evil`
 * (browsers drop tabs and newlines and read `\` as `/`). The value is refused outright if it has a
 * control character or a backslash, then parsed as a URL against the site's origin; only its path and
 * query are re-emitted, and only when the origin is still the site's and the path cannot be read as
 * another host (`//...`).
 */
export function localPath(value: string | null | undefined, fallback: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused here.
  if (!value?.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  let url: URL;
  try {
    url = new URL(value, siteOrigin);
  } catch {
    return fallback;
  }
  if (url.origin !== siteOrigin || url.pathname.startsWith("//")) return fallback;
  return `${url.pathname}${url.search}`;
}
