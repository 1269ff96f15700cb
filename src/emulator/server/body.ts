import type { IncomingMessage } from "node:http";

export interface ParsedBody {
  fields: Record<string, unknown>;
  /** Files of a multipart body, by field name. */
  files: Map<string, { name: string; type: string; content: Buffer }>;
  raw: Buffer;
  invalidJson: boolean;
}

export async function readRaw(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    size += buffer.length;
    if (size > limitBytes) throw new Error(`request body over ${limitBytes} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Form, JSON or multipart bodies, as Slack's Web API accepts them. */
export async function parseBody(request: IncomingMessage, raw: Buffer): Promise<ParsedBody> {
  const contentType = (request.headers["content-type"] ?? "").toLowerCase();
  const parsed: ParsedBody = { fields: {}, files: new Map(), raw, invalidJson: false };
  if (raw.length === 0) return parsed;
  if (contentType.startsWith("application/json")) {
    try {
      const value: unknown = JSON.parse(raw.toString("utf8"));
      if (typeof value === "object" && value !== null && !Array.isArray(value)) {
        parsed.fields = value as Record<string, unknown>;
      } else parsed.invalidJson = true;
    } catch {
      parsed.invalidJson = true;
    }
    return parsed;
  }
  if (contentType.startsWith("multipart/form-data")) {
    const form = await new Request("http://emulator.local/", {
      method: "POST",
      headers: { "content-type": request.headers["content-type"] ?? "" },
      body: new Uint8Array(raw),
    }).formData();
    const entries: [string, FormDataEntryValue][] = [];
    form.forEach((value, key) => {
      entries.push([key, value]);
    });
    for (const [key, value] of entries) {
      if (typeof value === "string") parsed.fields[key] = value;
      else {
        parsed.files.set(key, {
          name: value.name,
          type: value.type,
          content: Buffer.from(await value.arrayBuffer()),
        });
      }
    }
    return parsed;
  }
  if (contentType.startsWith("application/x-www-form-urlencoded") || contentType === "") {
    for (const [key, value] of new URLSearchParams(raw.toString("utf8"))) parsed.fields[key] = value;
  }
  return parsed;
}
