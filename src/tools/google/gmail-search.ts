import { z } from "zod";
import type { GoogleIntegration } from "../../integrations/google/integration.js";
import { defineGoogleTool } from "./google-tool.js";
import { mapLimit } from "./support/fields.js";
import { headerValue } from "./support/message-text.js";

const input = z.object({
  query: z
    .string()
    .describe(
      'Gmail search, as in the Gmail search box: e.g. "from:ana@example.com newer_than:7d", "is:unread in:inbox", "subject:invoice"',
    ),
  maxResults: z
    .number()
    .int()
    .min(1)
    .max(200)
    .default(20)
    .describe("How many messages at most (newest first)"),
});

export function gmailSearchTool(google: GoogleIntegration) {
  return defineGoogleTool(google, {
    name: "gmail_search",
    description:
      "Search the requester's Gmail. Returns message ids, thread ids, sender, date, subject and a snippet; read a message or thread with gmail_read.",
    input,
    risk: "read",
    scopes: ["gmail.readonly"],
    summarize: (value) => `Searching Gmail for "${value.query}"`,
    async run(value, { apis, call }, context) {
      const gmail = apis.gmail;
      const found: Array<{ id: string; threadId: string }> = [];
      let pageToken: string | undefined;
      let estimate = 0;
      do {
        const page = await call(() =>
          gmail.users.messages.list(
            {
              userId: "me",
              q: value.query,
              maxResults: Math.min(100, value.maxResults - found.length),
              pageToken,
            },
            { signal: context.signal },
          ),
        );
        estimate = page.data.resultSizeEstimate ?? estimate;
        for (const item of page.data.messages ?? []) {
          if (item.id) found.push({ id: item.id, threadId: item.threadId ?? item.id });
        }
        pageToken = page.data.nextPageToken ?? undefined;
      } while (pageToken && found.length < value.maxResults);
      if (found.length === 0) return { content: `No messages match "${value.query}".` };
      const details = await mapLimit(found, 5, (item) =>
        call(() =>
          gmail.users.messages.get(
            {
              userId: "me",
              id: item.id,
              format: "metadata",
              metadataHeaders: ["From", "To", "Subject", "Date"],
            },
            { signal: context.signal },
          ),
        ),
      );
      const lines = details.map(({ data }) => {
        const get = (name: string) => headerValue(data.payload ?? undefined, name) ?? "";
        return [
          `- id ${data.id} (thread ${data.threadId})${data.labelIds?.includes("UNREAD") ? " [unread]" : ""}`,
          `  ${get("Date")} | from ${get("From")} | to ${get("To")}`,
          `  Subject: ${get("Subject")}`,
          `  ${data.snippet ?? ""}`,
        ].join("\n");
      });
      const more =
        estimate > found.length ? ` (about ${estimate} match in all; ask for more or narrow the search)` : "";
      return { content: `${found.length} message(s)${more}:\n${lines.join("\n")}`, untrusted: true };
    },
  });
}
