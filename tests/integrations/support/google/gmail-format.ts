import { header, type MailPart, type StoredMail } from "./state.js";

/**
 * Gmail API `Message` resources (users.messages, reference): `payload` is a MessagePart tree with
 * `partId`, `mimeType`, `filename`, `headers`, `body` {size, data (base64url) | attachmentId}, and
 * `parts`. Formats: full, metadata (headers only, filtered by metadataHeaders), minimal, raw.
 */
export function presentMessage(
  mail: StoredMail,
  format: string,
  metadataHeaders: string[] = [],
): Record<string, unknown> {
  const base = {
    id: mail.id,
    threadId: mail.threadId,
    labelIds: mail.labelIds,
    snippet: snippet(mail),
    historyId: String(mail.internalDate % 1_000_000),
    internalDate: String(mail.internalDate),
    sizeEstimate: JSON.stringify(mail).length,
  };
  if (format === "minimal") return base;
  if (format === "raw") {
    return { ...base, raw: Buffer.from(mail.raw ?? rawOf(mail)).toString("base64url") };
  }
  if (format === "metadata") {
    const wanted = metadataHeaders.map((name) => name.toLowerCase());
    const headers = wanted.length
      ? mail.headers.filter((item) => wanted.includes(item.name.toLowerCase()))
      : mail.headers;
    return { ...base, payload: { mimeType: topType(mail), headers } };
  }
  return { ...base, payload: payloadOf(mail) };
}

function snippet(mail: StoredMail): string {
  const text = mail.parts.find((part) => part.mimeType === "text/plain")?.text ?? "";
  return text.replace(/\s+/g, " ").trim().slice(0, 120);
}

function topType(mail: StoredMail): string {
  const attachments = mail.parts.some((part) => part.filename);
  const texts = mail.parts.filter((part) => !part.filename);
  if (attachments) return "multipart/mixed";
  return texts.length > 1 ? "multipart/alternative" : (texts[0]?.mimeType ?? "text/plain");
}

function leaf(part: MailPart, partId: string, mailId: string): Record<string, unknown> {
  const data = part.data ?? Buffer.from(part.text ?? "", "utf8");
  const headers = [
    {
      name: "Content-Type",
      value: part.filename
        ? `${part.mimeType}; name="${part.filename}"`
        : `${part.mimeType}; charset="UTF-8"`,
    },
    ...(part.filename
      ? [{ name: "Content-Disposition", value: `attachment; filename="${part.filename}"` }]
      : []),
  ];
  return {
    partId,
    mimeType: part.mimeType,
    filename: part.filename ?? "",
    headers,
    body: part.filename
      ? { attachmentId: `ANGjdJ_${mailId}_${partId}`, size: data.length }
      : { size: data.length, data: data.toString("base64url") },
  };
}

function payloadOf(mail: StoredMail): Record<string, unknown> {
  const texts = mail.parts.filter((part) => !part.filename);
  const attachments = mail.parts.filter((part) => part.filename);
  const top = topType(mail);
  if (!top.startsWith("multipart/")) {
    return { ...leaf(texts[0] ?? { mimeType: "text/plain", text: "" }, "", mail.id), headers: mail.headers };
  }
  const alternative = (prefix: string) => ({
    partId: prefix,
    mimeType: "multipart/alternative",
    filename: "",
    headers: [{ name: "Content-Type", value: 'multipart/alternative; boundary="alt"' }],
    body: { size: 0 },
    parts: texts.map((part, index) => leaf(part, prefix ? `${prefix}.${index}` : String(index), mail.id)),
  });
  if (top === "multipart/alternative") {
    return { ...alternative(""), partId: "", headers: mail.headers };
  }
  const children: Record<string, unknown>[] = [];
  if (texts.length > 1) children.push(alternative("0"));
  else if (texts[0]) children.push(leaf(texts[0], "0", mail.id));
  for (const part of attachments) children.push(leaf(part, String(children.length), mail.id));
  return {
    partId: "",
    mimeType: "multipart/mixed",
    filename: "",
    headers: mail.headers,
    body: { size: 0 },
    parts: children,
  };
}

function rawOf(mail: StoredMail): string {
  const lines = mail.headers.map((item) => `${item.name}: ${item.value}`);
  const text = mail.parts.find((part) => part.mimeType === "text/plain")?.text ?? "";
  return `${lines.join("\r\n")}\r\n\r\n${text}`;
}

/** Parses an RFC 2822 message the app sent (raw): headers, and the body decoded. */
export function parseRaw(raw: string): { headers: Array<{ name: string; value: string }>; body: string } {
  const split = raw.indexOf("\r\n\r\n");
  const head = split === -1 ? raw : raw.slice(0, split);
  const rest = split === -1 ? "" : raw.slice(split + 4);
  const headers: Array<{ name: string; value: string }> = [];
  for (const line of head.split("\r\n")) {
    if (/^[ \t]/.test(line) && headers.length) headers.at(-1)!.value += ` ${line.trim()}`;
    else {
      const colon = line.indexOf(":");
      if (colon > 0) headers.push({ name: line.slice(0, colon), value: line.slice(colon + 1).trim() });
    }
  }
  const encoding = headers.find((item) => item.name.toLowerCase() === "content-transfer-encoding")?.value;
  const body =
    encoding?.toLowerCase() === "base64"
      ? Buffer.from(rest.replace(/\s+/g, ""), "base64").toString("utf8")
      : rest;
  return { headers: headers.map((item) => ({ ...item, value: decodeWord(item.value) })), body };
}

/** RFC 2047 encoded words (=?UTF-8?B?...?=) in header values. */
function decodeWord(value: string): string {
  return value.replace(/=\?utf-8\?b\?([^?]*)\?=/gi, (_match, data: string) =>
    Buffer.from(data, "base64").toString("utf8"),
  );
}

export { header };
