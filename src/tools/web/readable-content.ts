import type { IncomingHttpHeaders } from "node:http";
import { CodedError } from "../../errors.js";
import { htmlToMarkdown, type ReadableDocument } from "./html-content.js";
import { pdfToText } from "./pdf-content.js";

/**
 * A response body as text a model can read: HTML reduced to its main content as Markdown, PDF to its
 * text, JSON pretty-printed, other text passed through. Binary formats are refused. The Content-Type
 * decides; without one (or with application/octet-stream) the body is sniffed.
 */
export interface ReadableContent extends ReadableDocument {
  kind: "html" | "pdf" | "json" | "text";
}

export async function toReadable(
  body: Buffer,
  headers: IncomingHttpHeaders,
  url: string,
): Promise<ReadableContent> {
  const { mediaType, charset } = parseContentType(headers["content-type"]);
  const kind = kindOf(mediaType, body);
  if (kind === "pdf") return { kind, ...(await pdfToText(body)) };
  if (kind === undefined) {
    throw new CodedError(
      "web_unsupported_content",
      `${url} is ${mediaType || "binary data"}, which cannot be shown as text`,
      { expected: true },
    );
  }
  const text = decode(body, charset);
  if (kind === "html") return { kind, ...htmlToMarkdown(text, url) };
  if (kind === "json") {
    const pretty = prettyJson(text);
    if (pretty !== undefined) return { kind, title: undefined, text: pretty };
  }
  return { kind: "text", title: undefined, text };
}

function kindOf(mediaType: string, body: Buffer): ReadableContent["kind"] | undefined {
  if (mediaType === "text/html" || mediaType === "application/xhtml+xml") return "html";
  if (mediaType === "application/pdf") return "pdf";
  if (mediaType === "application/json" || mediaType.endsWith("+json")) return "json";
  if (mediaType.startsWith("text/") || mediaType.endsWith("+xml") || textualApplications.has(mediaType)) {
    return "text";
  }
  if (mediaType !== "" && mediaType !== "application/octet-stream") return undefined;
  return sniff(body);
}

const textualApplications = new Set([
  "application/xml",
  "application/javascript",
  "application/ecmascript",
  "application/x-javascript",
  "application/x-yaml",
  "application/yaml",
  "application/toml",
  "application/x-sh",
  "application/sql",
  "application/graphql",
  "application/csv",
]);

function sniff(body: Buffer): ReadableContent["kind"] | undefined {
  if (body.subarray(0, 5).toString("latin1") === "%PDF-") return "pdf";
  const head = body.subarray(0, 1024);
  if (head.includes(0)) return undefined;
  const start = head.toString("utf8").trimStart().slice(0, 15).toLowerCase();
  if (start.startsWith("<!doctype html") || start.startsWith("<html")) return "html";
  if (start.startsWith("{") || start.startsWith("[")) return "json";
  return "text";
}

function parseContentType(header: string | undefined): { mediaType: string; charset: string | undefined } {
  const [type = "", ...parameters] = (header ?? "").split(";");
  const charset = parameters
    .map((parameter) => parameter.trim().split("="))
    .find(([name]) => name?.trim().toLowerCase() === "charset")?.[1];
  return { mediaType: type.trim().toLowerCase(), charset: charset?.trim().replace(/^"(.*)"$/, "$1") };
}

function decode(body: Buffer, charset: string | undefined): string {
  try {
    return new TextDecoder(charset ?? "utf-8").decode(body);
  } catch {
    // An unknown label: UTF-8 is the best guess.
    return new TextDecoder("utf-8").decode(body);
  }
}

function prettyJson(text: string): string | undefined {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return undefined;
  }
}
