import { createHash } from "node:crypto";
import type { GoogleCall } from "../google-tool.js";
import { headerValue } from "./message-text.js";
import { addressOf } from "./mime-message.js";

/**
 * Finding a mail we may already have sent or drafted: every mail we write carries X-Coworker-Key (a
 * hash of the tool call's idempotency key). Gmail search cannot match custom headers, so recent mail
 * to the same recipient in the mailbox (`in:sent` or `in:drafts`) is listed and its header compared.
 */
export const keyHeader = "X-Coworker-Key";

export function mailKey(idempotencyKey: string): string {
  return createHash("sha256").update(idempotencyKey).digest("hex").slice(0, 40);
}

export async function findByKey(
  google: GoogleCall,
  where: { folder: "sent" | "drafts"; recipient: string; key: string },
  signal: AbortSignal,
): Promise<{ id: string; threadId: string } | undefined> {
  const { data } = await google.call(() =>
    google.apis.gmail.users.messages.list(
      {
        userId: "me",
        q: `in:${where.folder} to:${addressOf(where.recipient)} newer_than:7d`,
        maxResults: 50,
      },
      { signal },
    ),
  );
  for (const item of data.messages ?? []) {
    if (!item.id) continue;
    const { data: message } = await google.call(() =>
      google.apis.gmail.users.messages.get(
        { userId: "me", id: item.id!, format: "metadata", metadataHeaders: [keyHeader] },
        { signal },
      ),
    );
    if (headerValue(message.payload ?? undefined, keyHeader) === where.key) {
      return { id: message.id ?? item.id, threadId: message.threadId ?? item.threadId ?? item.id };
    }
  }
  return undefined;
}
