import { z } from "zod";
import type { GoogleIntegration } from "../../integrations/google/integration.js";
import { pdfToText } from "../web/pdf-content.js";
import { defineGoogleTool } from "./google-tool.js";
import { googleMimeTypes } from "./support/drive-query.js";

const input = z.object({ fileId: z.string().min(1).describe("A file id from drive_search_files") });

/** Google Docs editors files are exported (Docs and Slides as text, Sheets' first sheet as CSV). */
const exports: Record<string, string> = {
  [googleMimeTypes.document]: "text/plain",
  [googleMimeTypes.presentation]: "text/plain",
  [googleMimeTypes.spreadsheet]: "text/csv",
};

const textual = /^(text\/|application\/(json|xml|csv|x-yaml|yaml|javascript|x-ndjson))/;
const maximumBytes = 10 * 1024 * 1024;

export function driveReadFileTool(google: GoogleIntegration) {
  return defineGoogleTool(google, {
    name: "drive_read_file",
    description:
      "Read a file from the requester's Google Drive as text: a Google Doc or Slides deck, a Sheet (first sheet as CSV; use sheets_read_range for others), a PDF, or a text file.",
    input,
    risk: "read",
    scopes: ["drive.readonly"],
    summarize: (value) => `Reading Drive file ${value.fileId}`,
    async run(value, { apis, call }, context) {
      const { data: file } = await call(() =>
        apis.drive.files.get(
          {
            fileId: value.fileId,
            fields: "id, name, mimeType, size, modifiedTime, webViewLink",
            supportsAllDrives: true,
          },
          { signal: context.signal },
        ),
      );
      const mimeType = file.mimeType ?? "";
      const heading = `${file.name} (${mimeType}, id ${file.id}, modified ${file.modifiedTime ?? "?"})`;
      const exportType = exports[mimeType];
      if (exportType) {
        const { data } = await call(() =>
          apis.drive.files.export(
            { fileId: value.fileId, mimeType: exportType },
            { signal: context.signal, responseType: "text" },
          ),
        );
        const note = mimeType === googleMimeTypes.spreadsheet ? " First sheet only, as CSV." : "";
        return { content: `${heading}.${note}\n\n${String(data).replace(/^\uFEFF/, "")}`, untrusted: true };
      }
      if (Number(file.size ?? 0) > maximumBytes) {
        return { content: `${heading} is ${file.size} bytes: too large to read here.`, isError: true };
      }
      if (mimeType !== googleMimeTypes.pdf && !textual.test(mimeType)) {
        return { content: `${heading} is not a text format I can read.`, isError: true };
      }
      const { data } = await call(() =>
        apis.drive.files.get(
          { fileId: value.fileId, alt: "media", supportsAllDrives: true },
          { signal: context.signal, responseType: "arraybuffer" },
        ),
      );
      const bytes = Buffer.from(data as unknown as ArrayBuffer);
      const text = mimeType === googleMimeTypes.pdf ? (await pdfToText(bytes)).text : bytes.toString("utf8");
      return { content: `${heading}\n\n${text}`, untrusted: true };
    },
  });
}
