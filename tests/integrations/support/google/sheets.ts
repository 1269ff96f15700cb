import { apiError, notFound, type Route, route, sendJson } from "./http.js";
import { authenticate } from "./oauth.js";
import type { DriveFile, StandInState } from "./state.js";

/**
 * Sheets API v4 spreadsheets.values get and append. Ranges are A1 notation (`Sheet1!A1:C10`,
 * `Sheet1`, or `A1:C10` on the first sheet); answers are ValueRange (`range`, `majorDimension`,
 * `values`) and AppendValuesResponse (`tableRange`, `updates`).
 */
const readScopes = ["spreadsheets.readonly", "spreadsheets", "drive.readonly", "drive", "drive.file"];
const writeScopes = ["spreadsheets", "drive", "drive.file"];

export function sheetsRoutes(state: StandInState): Route[] {
  const spreadsheet = (email: string, id: string): DriveFile | undefined =>
    state.accounts.get(email)?.files.find((file) => file.id === id && file.sheets);
  return [
    route("GET", /^\/v4\/spreadsheets\/([^/]+)\/values\/([^/:]+)$/, (request, response) => {
      const access = authenticate(state, request, response, readScopes);
      if (!access) return;
      const file = spreadsheet(access.grant.email, request.params[0] ?? "");
      if (!file) return notFound(response);
      const range = parseRange(decodeURIComponent(request.params[1] ?? ""), file);
      if (!range) return apiError(response, 400, "badRequest", `Unable to parse range: ${request.params[1]}`);
      const rows = range.sheet.rows
        .slice(range.top, range.bottom + 1)
        .map((row) => row.slice(range.left, range.right + 1))
        .map((row) => trimEnd(row));
      const values = trimEnd(rows, (row) => row.length === 0);
      sendJson(response, 200, {
        range: `${range.sheet.title}!${a1(range.left, range.top)}:${a1(range.right, Math.min(range.bottom, range.top + Math.max(values.length, 1) - 1))}`,
        majorDimension: "ROWS",
        ...(values.length ? { values } : {}),
      });
    }),
    route("POST", /^\/v4\/spreadsheets\/([^/]+)\/values\/([^/:]+):append$/, (request, response) => {
      const access = authenticate(state, request, response, writeScopes);
      if (!access) return;
      const file = spreadsheet(access.grant.email, request.params[0] ?? "");
      if (!file) return notFound(response);
      if (!request.url.searchParams.get("valueInputOption")) {
        return apiError(response, 400, "badRequest", "'valueInputOption' is required but not specified");
      }
      const range = parseRange(decodeURIComponent(request.params[1] ?? ""), file);
      if (!range) return apiError(response, 400, "badRequest", `Unable to parse range: ${request.params[1]}`);
      const values = request.json<{ values?: unknown[][] }>().values ?? [];
      const sheet = range.sheet;
      const tableEnd = sheet.rows.length;
      const width = Math.max(0, ...values.map((row) => row.length));
      for (const row of values) {
        const cells = Array.from({ length: range.left }, () => "").concat(
          row.map((cell) => String(cell ?? "")),
        );
        sheet.rows.push(cells);
      }
      sendJson(response, 200, {
        spreadsheetId: file.id,
        ...(tableEnd
          ? {
              tableRange: `${sheet.title}!A1:${a1(Math.max(0, (sheet.rows[0]?.length ?? 1) - 1), tableEnd - 1)}`,
            }
          : {}),
        updates: {
          spreadsheetId: file.id,
          updatedRange: `${sheet.title}!${a1(range.left, tableEnd)}:${a1(range.left + width - 1, tableEnd + values.length - 1)}`,
          updatedRows: values.length,
          updatedColumns: width,
          updatedCells: values.reduce((sum, row) => sum + row.length, 0),
        },
      });
    }),
  ];
}

interface ParsedRange {
  sheet: { title: string; rows: string[][] };
  left: number;
  top: number;
  right: number;
  bottom: number;
}

function parseRange(text: string, file: DriveFile): ParsedRange | undefined {
  const bang = text.lastIndexOf("!");
  const title = bang === -1 ? undefined : text.slice(0, bang).replace(/^'|'$/g, "");
  const cells = bang === -1 ? text : text.slice(bang + 1);
  const sheet = title === undefined ? undefined : file.sheets?.find((item) => item.title === title);
  if (title === undefined && file.sheets?.some((item) => item.title === cells)) {
    return {
      sheet: file.sheets.find((item) => item.title === cells)!,
      left: 0,
      top: 0,
      right: 1e6,
      bottom: 1e6,
    };
  }
  const target = sheet ?? (title === undefined ? file.sheets?.[0] : undefined);
  if (!target) return undefined;
  if (bang !== -1 && cells === "") return { sheet: target, left: 0, top: 0, right: 1e6, bottom: 1e6 };
  const match = /^([A-Z]+)(\d+)?(?::([A-Z]+)(\d+)?)?$/i.exec(cells);
  if (!match) return undefined;
  const left = column(match[1]!);
  const top = match[2] ? Number(match[2]) - 1 : 0;
  const right = match[3] ? column(match[3]) : left;
  const bottom = match[4] ? Number(match[4]) - 1 : match[3] ? 1e6 : top;
  return { sheet: target, left, top, right, bottom };
}

function column(letters: string): number {
  return [...letters.toUpperCase()].reduce((sum, letter) => sum * 26 + letter.charCodeAt(0) - 64, 0) - 1;
}

function a1(columnIndex: number, rowIndex: number): string {
  let letters = "";
  for (let value = columnIndex + 1; value > 0; value = Math.floor((value - 1) / 26)) {
    letters = String.fromCharCode(65 + ((value - 1) % 26)) + letters;
  }
  return `${letters}${rowIndex + 1}`;
}

function trimEnd<T>(items: T[], empty: (item: T) => boolean = (item) => item === ""): T[] {
  let end = items.length;
  while (end > 0 && empty(items[end - 1]!)) end -= 1;
  return items.slice(0, end);
}
