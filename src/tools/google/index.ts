import type { GoogleIntegration } from "../../integrations/google/integration.js";
import type { Tool } from "../tool.js";
import { calendarFindFreeTimeTool } from "./calendar-find-free-time.js";
import { calendarListEventsTool } from "./calendar-list-events.js";
import { calendarSaveEventTool } from "./calendar-save-event.js";
import { docsCreateDocumentTool } from "./docs-create-document.js";
import { driveReadFileTool } from "./drive-read-file.js";
import { driveSearchFilesTool } from "./drive-search-files.js";
import { gmailCreateDraftTool } from "./gmail-create-draft.js";
import { gmailReadTool } from "./gmail-read.js";
import { gmailSearchTool } from "./gmail-search.js";
import { gmailSendTool } from "./gmail-send.js";
import { sheetsAppendRowsTool } from "./sheets-append-rows.js";
import { sheetsReadRangeTool } from "./sheets-read-range.js";

/** Every Google Workspace tool, bound to one integration (each call uses the run's person). */
export function googleTools(google: GoogleIntegration | undefined): Tool[] {
  if (!google) return [];
  return [
    gmailSearchTool(google),
    gmailReadTool(google),
    gmailCreateDraftTool(google),
    gmailSendTool(google),
    calendarListEventsTool(google),
    calendarFindFreeTimeTool(google),
    calendarSaveEventTool(google),
    driveSearchFilesTool(google),
    driveReadFileTool(google),
    docsCreateDocumentTool(google),
    sheetsReadRangeTool(google),
    sheetsAppendRowsTool(google),
  ] as Tool[];
}
