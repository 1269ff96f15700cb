import type { gmail_v1 } from "googleapis/build/src/apis/gmail/v1.js";
import { htmlToText } from "./html-text.js";

/**
 * A Gmail message as text: the headers people care about, the body (text/plain preferred, HTML
 * turned into text otherwise) and the attachments listed (name, type, size, id), not downloaded.
 */
type Part = gmail_v1.Schema$MessagePart;

export interface Attachment {
  filename: string;
  mimeType: string;
  size: number;
  attachmentId: string | undefined;
  partId: string;
}

const shownHeaders = ["From", "To", "Cc", "Date", "Subject", "Message-ID"];

export function headerValue(part: Part | undefined, name: string): string | undefined {
  return part?.headers?.find((item) => item.name?.toLowerCase() === name.toLowerCase())?.value ?? undefined;
}

export function renderMessage(message: gmail_v1.Schema$Message): string {
  const lines = [`Message ${message.id} (thread ${message.threadId})`];
  for (const name of shownHeaders) {
    const value = headerValue(message.payload ?? undefined, name);
    if (value) lines.push(`${name}: ${value}`);
  }
  if (message.labelIds?.length) lines.push(`Labels: ${message.labelIds.join(", ")}`);
  const { body, attachments } = contentOf(message.payload ?? undefined);
  if (attachments.length) {
    lines.push("Attachments:");
    for (const item of attachments) {
      lines.push(
        `- ${item.filename} (${item.mimeType}, ${item.size} bytes, part ${item.partId}${item.attachmentId ? `, attachmentId ${item.attachmentId}` : ""})`,
      );
    }
  }
  lines.push("", body.trim() || message.snippet || "(no text)");
  return lines.join("\n");
}

export function contentOf(payload: Part | undefined): { body: string; attachments: Attachment[] } {
  const plain: string[] = [];
  const html: string[] = [];
  const attachments: Attachment[] = [];
  const visit = (part: Part) => {
    const mimeType = (part.mimeType ?? "").toLowerCase();
    const disposition = headerValue(part, "Content-Disposition") ?? "";
    const isAttachment = Boolean(part.filename) || /^attachment/i.test(disposition);
    if (isAttachment) {
      attachments.push({
        filename: part.filename || "(unnamed)",
        mimeType,
        size: part.body?.size ?? 0,
        attachmentId: part.body?.attachmentId ?? undefined,
        partId: part.partId ?? "",
      });
      return;
    }
    if (part.parts?.length) {
      for (const child of part.parts) visit(child);
      return;
    }
    if (!part.body?.data) return;
    const text = decode(part.body.data, headerValue(part, "Content-Type"));
    if (mimeType === "text/plain") plain.push(text);
    else if (mimeType === "text/html") html.push(text);
  };
  if (payload) visit(payload);
  const body = plain.length ? plain.join("\n\n") : html.map(htmlToText).join("\n\n");
  return { body, attachments };
}

function decode(data: string, contentType: string | undefined): string {
  const bytes = Buffer.from(data, "base64url");
  const charset = /charset="?([^";\s]+)"?/i.exec(contentType ?? "")?.[1] ?? "utf-8";
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return bytes.toString("utf8");
  }
}
