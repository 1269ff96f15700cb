import type { drive_v3 } from "googleapis/build/src/apis/drive/v3.js";
import { z } from "zod";
import type { GoogleIntegration } from "../../integrations/google/integration.js";
import { defineGoogleTool } from "./google-tool.js";
import { type FileKind, googleMimeTypes, literal } from "./support/drive-query.js";

const input = z
  .object({
    text: z.string().min(1).optional().describe("Words in the file's name or content"),
    name: z.string().min(1).optional().describe("Part of the file's name"),
    kind: z.enum(Object.keys(googleMimeTypes) as [FileKind, ...FileKind[]]).optional(),
    maxResults: z.number().int().min(1).max(200).default(20),
  })
  .refine((value) => value.text || value.name || value.kind, { message: "give text, name or kind" });

export function driveSearchFilesTool(google: GoogleIntegration) {
  return defineGoogleTool(google, {
    name: "drive_search_files",
    description:
      "Search the requester's Google Drive (Docs, Sheets, Slides, PDFs, other files) by words, name or kind. Returns ids to read with drive_read_file or sheets_read_range.",
    input,
    risk: "read",
    scopes: ["drive.readonly"],
    summarize: (value) => `Searching Drive for ${value.text ?? value.name ?? value.kind}`,
    async run(value, { apis, call }, context) {
      const clauses = ["trashed = false"];
      if (value.text) clauses.push(`fullText contains ${literal(value.text)}`);
      if (value.name) clauses.push(`name contains ${literal(value.name)}`);
      if (value.kind) clauses.push(`mimeType = ${literal(googleMimeTypes[value.kind])}`);
      const files: drive_v3.Schema$File[] = [];
      let pageToken: string | undefined;
      do {
        const { data } = await call(() =>
          apis.drive.files.list(
            {
              q: clauses.join(" and "),
              pageSize: Math.min(100, value.maxResults - files.length),
              pageToken,
              fields:
                "nextPageToken, files(id, name, mimeType, modifiedTime, webViewLink, owners(emailAddress), size)",
              supportsAllDrives: true,
              includeItemsFromAllDrives: true,
            },
            { signal: context.signal },
          ),
        );
        files.push(...(data.files ?? []));
        pageToken = data.nextPageToken ?? undefined;
      } while (pageToken && files.length < value.maxResults);
      if (files.length === 0) return { content: "No files match." };
      const lines = files.map(
        (file) =>
          `- ${file.name} | ${file.mimeType} | id ${file.id} | modified ${file.modifiedTime ?? "?"}` +
          `${file.owners?.[0]?.emailAddress ? ` | owner ${file.owners[0].emailAddress}` : ""}` +
          `${file.webViewLink ? ` | ${file.webViewLink}` : ""}`,
      );
      return { content: `${files.length} file(s):\n${lines.join("\n")}`, untrusted: true };
    },
  });
}
