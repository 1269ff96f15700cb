import { createHash } from "node:crypto";
import { z } from "zod";
import type { GoogleIntegration } from "../../integrations/google/integration.js";
import { defineGoogleTool } from "./google-tool.js";
import { googleMimeTypes, literal } from "./support/drive-query.js";

const input = z.object({
  title: z.string().min(1).max(200).describe("The document's name"),
  content: z.string().default("").describe("Plain text to put in it"),
});

/**
 * Creates a Google Doc in the requester's Drive (Drive files.create with drive.file, then Docs
 * batchUpdate to insert the text). The file carries the call's key in appProperties, so after a
 * crash it is found instead of created twice.
 */
export function docsCreateDocumentTool(google: GoogleIntegration) {
  return defineGoogleTool(google, {
    name: "docs_create_document",
    description: "Create a new Google Doc in the requester's Drive with the given title and text.",
    input,
    risk: "write",
    // A new, unshared file in the person's own Drive: nothing anyone else sees changes.
    confined: true,
    scopes: ["drive.file"],
    summarize: (value) => `Create Google Doc "${value.title}" (${value.content.length} characters)`,
    async run(value, { apis, call }, context) {
      const { data: file } = await call(
        () =>
          apis.drive.files.create(
            {
              requestBody: {
                name: value.title,
                mimeType: googleMimeTypes.document,
                appProperties: { coworkerKey: keyOf(context.idempotencyKey) },
              },
              fields: "id, name, webViewLink",
            },
            { signal: context.signal },
          ),
        { idempotent: false },
      );
      if (value.content) {
        await call(() =>
          apis.docs.documents.batchUpdate(
            {
              documentId: file.id ?? "",
              requestBody: { requests: [{ insertText: { location: { index: 1 }, text: value.content } }] },
            },
            { signal: context.signal },
          ),
        );
      }
      return {
        content: `Created Google Doc "${file.name}" (id ${file.id}): ${file.webViewLink ?? ""}`.trim(),
      };
    },
    async reconcile(_value, { apis, call }, context) {
      const { data } = await call(() =>
        apis.drive.files.list(
          {
            q: `appProperties has { key='coworkerKey' and value=${literal(keyOf(context.idempotencyKey))} } and trashed = false`,
            fields: "files(id, name, webViewLink)",
          },
          { signal: context.signal },
        ),
      );
      const file = data.files?.[0];
      return file
        ? { content: `Created Google Doc "${file.name}" (id ${file.id}): ${file.webViewLink ?? ""}` }
        : undefined;
    },
  });
}

function keyOf(idempotencyKey: string): string {
  return createHash("sha256").update(idempotencyKey).digest("hex").slice(0, 40);
}
