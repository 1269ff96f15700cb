/** Drive's query language (files.list `q`): string literals in single quotes, `\` and `'` escaped. */
export function literal(value: string): string {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

export const googleMimeTypes = {
  document: "application/vnd.google-apps.document",
  spreadsheet: "application/vnd.google-apps.spreadsheet",
  presentation: "application/vnd.google-apps.presentation",
  folder: "application/vnd.google-apps.folder",
  pdf: "application/pdf",
} as const;

export type FileKind = keyof typeof googleMimeTypes;
