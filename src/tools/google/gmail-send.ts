import { z } from "zod";
import { classifyGoogleError } from "../../integrations/google/api-errors.js";
import type { GoogleIntegration } from "../../integrations/google/integration.js";
import { defineGoogleTool, type GoogleCall } from "./google-tool.js";
import { composeFields, describeMail, prepareMail } from "./support/compose.js";
import { buildRawMessage } from "./support/mime-message.js";
import { findByKey, keyHeader, mailKey } from "./support/sent-lookup.js";

const input = z.object({
  ...composeFields,
  draftId: z
    .string()
    .optional()
    .describe("The draft this mail replaces (from gmail_create_draft): it is deleted once the mail is sent"),
});

type SendInput = z.infer<typeof input>;

/**
 * Sending cannot be undone, so it always asks the person first, and it is done exactly once: the
 * mail carries X-Coworker-Key, and after a crash (or a 5xx, which may have sent it) the Sent folder
 * is searched for it before anything is sent again.
 */
export function gmailSendTool(google: GoogleIntegration) {
  return defineGoogleTool<SendInput>(google, {
    name: "gmail_send",
    description:
      "Send a mail from the requester's Gmail (a new mail, or a reply when replyToMessageId is given). The person is asked to approve it first. Give the full text: what you pass is exactly what is sent.",
    input,
    risk: "irreversible",
    scopes: ["gmail.readonly", "gmail.compose"],
    summarize: (value) => `Send ${describeMail(value)}:\n${value.body.slice(0, 500)}`,
    recipients: (value) => ({
      addresses: [...value.to, ...(value.cc ?? []), ...(value.bcc ?? [])],
      preview: `${value.subject ?? ""}\n${value.body}`,
    }),
    async run(value, google, context) {
      const key = mailKey(context.idempotencyKey);
      const prepared = await prepareMail(value, google, context.signal, { [keyHeader]: key });
      if ("problem" in prepared) return { content: prepared.problem, isError: true };
      let sent: { id: string; threadId: string };
      try {
        const { data } = await google.call(
          () =>
            google.apis.gmail.users.messages.send(
              {
                userId: "me",
                requestBody: { raw: buildRawMessage(prepared.mail), threadId: prepared.threadId },
              },
              { signal: context.signal },
            ),
          { idempotent: false },
        );
        sent = { id: data.id ?? "", threadId: data.threadId ?? "" };
      } catch (error) {
        // A 5xx or a dropped connection may still have sent it: look before reporting a failure.
        const failure = classifyGoogleError(error);
        if (failure?.kind !== "server" && failure?.kind !== "network") throw error;
        const found = await findByKey(
          google,
          { folder: "sent", recipient: value.to[0]!, key },
          context.signal,
        );
        if (!found) throw error;
        sent = found;
      }
      const cleanup = await deleteDraft(google, value.draftId, context.signal);
      return {
        content: `Sent "${prepared.mail.subject}" to ${prepared.mail.to.join(", ")} (message ${sent.id}, thread ${sent.threadId}).${cleanup}`,
      };
    },
    async reconcile(value, google, context) {
      const found = await findByKey(
        google,
        { folder: "sent", recipient: value.to[0]!, key: mailKey(context.idempotencyKey) },
        context.signal,
      );
      if (!found) return undefined;
      const cleanup = await deleteDraft(google, value.draftId, context.signal);
      return {
        content: `The mail was already sent (message ${found.id}, thread ${found.threadId}).${cleanup}`,
      };
    },
  });
}

/** Best effort, after the mail went out: a failure here must not make the send look failed. */
async function deleteDraft(
  google: GoogleCall,
  draftId: string | undefined,
  signal: AbortSignal,
): Promise<string> {
  if (!draftId) return "";
  try {
    await google.call(() => google.apis.gmail.users.drafts.delete({ userId: "me", id: draftId }, { signal }));
    return ` Draft ${draftId} was removed.`;
  } catch (error) {
    // Already gone (sent from Gmail, or deleted): nothing to clean up.
    if (classifyGoogleError(error)?.kind === "not_found") return "";
    return ` (Draft ${draftId} could not be removed; the person may delete it.)`;
  }
}
