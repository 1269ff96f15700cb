import { z } from "zod";
import type { GoogleIntegration } from "../../integrations/google/integration.js";
import { defineGoogleTool } from "./google-tool.js";

const input = z.object({
  spreadsheetId: z.string().min(1).describe("The spreadsheet's id (from drive_search_files or its URL)"),
  range: z.string().min(1).describe('A1 notation, e.g. "Sheet1!A1:D50", or a sheet name for the whole sheet'),
});

export function sheetsReadRangeTool(google: GoogleIntegration) {
  return defineGoogleTool(google, {
    name: "sheets_read_range",
    description: "Read a range of cells from one of the requester's Google Sheets (values as displayed).",
    input,
    risk: "read",
    scopes: ["spreadsheets.readonly"],
    summarize: (value) => `Reading ${value.range} of spreadsheet ${value.spreadsheetId}`,
    async run(value, { apis, call }, context) {
      const { data } = await call(() =>
        apis.sheets.spreadsheets.values.get(
          { spreadsheetId: value.spreadsheetId, range: value.range, valueRenderOption: "FORMATTED_VALUE" },
          { signal: context.signal },
        ),
      );
      const rows = (data.values ?? []) as unknown[][];
      if (rows.length === 0) return { content: `${data.range ?? value.range} is empty.` };
      const csv = rows.map((row) => row.map((cell) => csvCell(String(cell ?? ""))).join(",")).join("\n");
      return { content: `${data.range} (${rows.length} row(s), CSV):\n${csv}`, untrusted: true };
    },
  });
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
