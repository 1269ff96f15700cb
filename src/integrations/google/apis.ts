import type { OAuth2Client } from "google-auth-library";
import { calendar_v3 } from "googleapis/build/src/apis/calendar/v3.js";
import { docs_v1 } from "googleapis/build/src/apis/docs/v1.js";
import { drive_v3 } from "googleapis/build/src/apis/drive/v3.js";
import { gmail_v1 } from "googleapis/build/src/apis/gmail/v1.js";
import { sheets_v4 } from "googleapis/build/src/apis/sheets/v4.js";

/**
 * The official googleapis clients for one person's OAuth client. Each API is imported on its own
 * (the googleapis index loads all ~400 APIs). Retries are ours (src/integrations/google/retry.ts),
 * so the client's are off.
 */
export interface GoogleApis {
  readonly gmail: gmail_v1.Gmail;
  readonly calendar: calendar_v3.Calendar;
  readonly drive: drive_v3.Drive;
  readonly docs: docs_v1.Docs;
  readonly sheets: sheets_v4.Sheets;
}

export function createGoogleApis(auth: OAuth2Client, rootUrl: string | undefined): GoogleApis {
  const options = { auth, retry: false, ...(rootUrl ? { rootUrl: withSlash(rootUrl) } : {}) };
  const cache = new Map<string, unknown>();
  const once = <T>(name: string, make: () => T): T => {
    if (!cache.has(name)) cache.set(name, make());
    return cache.get(name) as T;
  };
  return {
    get gmail() {
      return once("gmail", () => new gmail_v1.Gmail(options));
    },
    get calendar() {
      return once("calendar", () => new calendar_v3.Calendar(options));
    },
    get drive() {
      return once("drive", () => new drive_v3.Drive(options));
    },
    get docs() {
      return once("docs", () => new docs_v1.Docs(options));
    },
    get sheets() {
      return once("sheets", () => new sheets_v4.Sheets(options));
    },
  };
}

function withSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}
