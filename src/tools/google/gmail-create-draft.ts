import type { GoogleIntegration } from "../../integrations/google/integration.js";
import { defineGoogleTool } from "./google-tool.js";
import { type ComposeInput, composeInput, describeMail, prepareMail } from "./support/compose.js";
import { buildRawMessage } from "./support/mime-message.js";
import { findByKey, keyHeader, mailKey } from "./support/sent-lookup.js";

export function gmailCreateDraftTool(google: GoogleIntegration) {
  return defineGoogleTool<ComposeInput>(google, {
    name: "gmail_create_draft",
    description:
      "Create a draft in the requester's Gmail (a new mail, or a reply when replyToMessageId is given). Nothing is sent; the person can review it in Gmail, or you can send it with gmail_send.",
    input: composeInput,
    risk: "write",
    // Only the person sees a draft, and nothing leaves their mailbox until gmail_send (approved).
    confined: true,
    scopes: ["gmail.readonly", "gmail.compose"],
    summarize: (value) => `Draft ${describeMail(value)}`,
    async run(value, google, context) {
      const key = mailKey(context.idempotencyKey);
      const prepared = await prepareMail(value, google, context.signal, { [keyHeader]: key });
      if ("problem" in prepared) return { content: prepared.problem, isError: true };
      const { data } = await google.call(
        () =>
          google.apis.gmail.users.drafts.create(
            {
              userId: "me",
              requestBody: { message: { raw: buildRawMessage(prepared.mail), threadId: prepared.threadId } },
            },
            { signal: context.signal },
          ),
        { idempotent: false },
      );
      return {
        content:
          `Draft ${data.id} created (message ${data.message?.id}, thread ${data.message?.threadId}): ` +
          `"${prepared.mail.subject}" to ${prepared.mail.to.join(", ")}. It has not been sent.`,
      };
    },
    async reconcile(value, google, context) {
      const found = await findByKey(
        google,
        { folder: "drafts", recipient: value.to[0]!, key: mailKey(context.idempotencyKey) },
        context.signal,
      );
      return found
        ? { content: `A draft was already created (message ${found.id}, thread ${found.threadId}).` }
        : undefined;
    },
  });
}
