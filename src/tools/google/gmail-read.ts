import { z } from "zod";
import type { GoogleIntegration } from "../../integrations/google/integration.js";
import { defineGoogleTool } from "./google-tool.js";
import { renderMessage } from "./support/message-text.js";

const input = z
  .object({
    messageId: z.string().min(1).optional().describe("A message id from gmail_search"),
    threadId: z
      .string()
      .min(1)
      .optional()
      .describe("A thread id from gmail_search: reads every message in it"),
  })
  .refine((value) => Boolean(value.messageId) !== Boolean(value.threadId), {
    message: "give exactly one of messageId or threadId",
  });

export function gmailReadTool(google: GoogleIntegration) {
  return defineGoogleTool(google, {
    name: "gmail_read",
    description:
      "Read one Gmail message (messageId) or a whole thread (threadId) of the requester: headers, the body as text, and the attachments listed by name.",
    input,
    risk: "read",
    scopes: ["gmail.readonly"],
    summarize: (value) =>
      value.threadId ? `Reading mail thread ${value.threadId}` : `Reading mail ${value.messageId}`,
    async run(value, { apis, call }, context) {
      if (value.messageId) {
        const { data } = await call(() =>
          apis.gmail.users.messages.get(
            { userId: "me", id: value.messageId!, format: "full" },
            { signal: context.signal },
          ),
        );
        return { content: renderMessage(data), untrusted: true };
      }
      const { data } = await call(() =>
        apis.gmail.users.threads.get(
          { userId: "me", id: value.threadId!, format: "full" },
          { signal: context.signal },
        ),
      );
      const messages = data.messages ?? [];
      const text = messages.map(renderMessage).join("\n\n---\n\n");
      return { content: `Thread ${data.id}: ${messages.length} message(s)\n\n${text}`, untrusted: true };
    },
  });
}
