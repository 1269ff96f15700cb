import { z } from "zod";
import type { GoogleCall } from "../google-tool.js";
import { address, headerSafe } from "./fields.js";
import { headerValue } from "./message-text.js";
import type { OutgoingMail } from "./mime-message.js";

/** The fields of a mail to draft or send, and the headers that make a reply join its thread. */
export const composeFields = {
  to: z.array(address).min(1).describe("Recipients"),
  cc: z.array(address).optional().describe("Copy recipients"),
  bcc: z.array(address).optional().describe("Blind copy recipients"),
  subject: headerSafe('Subject; when replying it defaults to "Re: <original subject>"').optional(),
  body: z.string().min(1).describe("Plain text body"),
  replyToMessageId: z
    .string()
    .optional()
    .describe("To reply: the id of the message being answered (the reply joins its thread)"),
};

export const composeInput = z.object(composeFields);
export type ComposeInput = z.infer<typeof composeInput>;

export interface PreparedMail {
  mail: OutgoingMail;
  threadId: string | undefined;
}

export async function prepareMail(
  value: ComposeInput,
  google: GoogleCall,
  signal: AbortSignal,
  headers: Record<string, string> = {},
): Promise<PreparedMail | { problem: string }> {
  let subject = value.subject;
  let threadId: string | undefined;
  let inReplyTo: string | undefined;
  let references: string | undefined;
  if (value.replyToMessageId) {
    const { data } = await google.call(() =>
      google.apis.gmail.users.messages.get(
        {
          userId: "me",
          id: value.replyToMessageId!,
          format: "metadata",
          metadataHeaders: ["Subject", "Message-ID", "References"],
        },
        { signal },
      ),
    );
    const original = data.payload ?? undefined;
    const messageId = headerValue(original, "Message-ID");
    threadId = data.threadId ?? undefined;
    inReplyTo = messageId;
    references = [headerValue(original, "References"), messageId].filter(Boolean).join(" ") || undefined;
    const originalSubject = headerValue(original, "Subject") ?? "";
    subject ??= /^re:/i.test(originalSubject) ? originalSubject : `Re: ${originalSubject}`;
  }
  if (subject === undefined) return { problem: "A subject is needed when not replying to a message." };
  return {
    threadId,
    mail: {
      to: value.to,
      cc: value.cc,
      bcc: value.bcc,
      subject,
      body: value.body,
      inReplyTo,
      references,
      headers,
    },
  };
}

export function describeMail(value: ComposeInput): string {
  const to = value.to.join(", ");
  const subject = value.subject ? `"${value.subject}"` : "a reply";
  return `${subject} to ${to}${value.cc?.length ? ` (cc ${value.cc.join(", ")})` : ""}`;
}
