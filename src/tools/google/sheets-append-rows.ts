import { z } from "zod";
import type { GoogleIntegration } from "../../integrations/google/integration.js";
import { defineGoogleTool } from "./google-tool.js";

const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const input = z.object({
  spreadsheetId: z.string().min(1),
  range: z.string().min(1).describe('The table to append to, in A1 notation, e.g. "Sheet1!A1" or "Expenses"'),
  rows: z.array(z.array(cell)).min(1).max(1000).describe("Rows of cell values"),
  valueInputOption: z
    .enum(["RAW", "USER_ENTERED"])
    .default("RAW")
    .describe("RAW stores values as given; USER_ENTERED parses them as if typed (formulas, dates)"),
});

/** Appends after the table's last row. Not repeatable blindly: after a crash the harness asks. */
export function sheetsAppendRowsTool(google: GoogleIntegration) {
  return defineGoogleTool(google, {
    name: "sheets_append_rows",
    description:
      "Append rows to a table in one of the requester's Google Sheets. The person is asked to approve first.",
    input,
    risk: "write",
    scopes: ["spreadsheets"],
    summarize: (value) =>
      `Append ${value.rows.length} row(s) to ${value.range} of spreadsheet ${value.spreadsheetId}`,
    async run(value, { apis, call }, context) {
      const { data } = await call(
        () =>
          apis.sheets.spreadsheets.values.append(
            {
              spreadsheetId: value.spreadsheetId,
              range: value.range,
              valueInputOption: value.valueInputOption,
              insertDataOption: "INSERT_ROWS",
              requestBody: { majorDimension: "ROWS", values: value.rows },
            },
            { signal: context.signal },
          ),
        { idempotent: false },
      );
      return {
        content: `Appended ${data.updates?.updatedRows ?? value.rows.length} row(s) at ${data.updates?.updatedRange ?? value.range}.`,
      };
    },
  });
}
