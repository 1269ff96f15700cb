import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { calendarRoutes } from "../integrations/support/google/calendar.js";
import { driveRoutes, googleTypes } from "../integrations/support/google/drive.js";
import { gmailRoutes } from "../integrations/support/google/gmail.js";
import { parseRaw } from "../integrations/support/google/gmail-format.js";
import { apiError, type Route, readRequest } from "../integrations/support/google/http.js";
import { oauthPaths, oauthRoutes } from "../integrations/support/google/oauth.js";
import { sheetsRoutes } from "../integrations/support/google/sheets.js";
import {
  addAccount,
  type CalendarEvent,
  createState,
  type DriveFile,
  type MailPart,
  type StandInAccount,
  type StandInState,
  type StoredMail,
} from "../integrations/support/google/state.js";

/**
 * A local stand-in for the Google endpoints our integration calls, on 127.0.0.1 (port 0): OAuth
 * (consent, token, revoke), Gmail, Calendar, Drive, Docs and Sheets, with response shapes from
 * Google's API reference. The real googleapis client talks to it (`rootUrl`, and OAuth2Client
 * `endpoints`). Faults (quota errors, 5xx) are injected per request; every request is recorded.
 */
export interface Fault {
  method?: string;
  path: RegExp;
  status: number;
  reason?: string;
  message?: string;
  retryAfterSeconds?: number;
  /** How many matching requests fail (default 1). */
  times?: number;
}

export interface RecordedGoogleRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  status: number;
}

export interface GoogleStandIn {
  url: string;
  clientId: string;
  clientSecret: string;
  endpoints: { authorize: string; token: string; revoke: string };
  state: StandInState;
  requests: RecordedGoogleRequest[];
  /** Exceptions inside the stand-in (answered 500): tests assert it stays empty. */
  errors: unknown[];
  account(email: string): StandInAccount;
  signInAs(email: string, decision?: "allow" | "deny"): void;
  allowRedirect(uri: string): void;
  addMail(email: string, mail: MailSeed): StoredMail;
  addEvent(
    email: string,
    event: Omit<CalendarEvent, "id" | "calendarId" | "created" | "updated" | "sequence" | "status"> & {
      id?: string;
    },
  ): CalendarEvent;
  addFile(email: string, file: Omit<DriveFile, "id" | "owner" | "modifiedTime"> & { id?: string }): DriveFile;
  /** Messages the account sent through the API, parsed. */
  sent(email: string): Array<{ id: string; threadId: string; headers: Record<string, string>; body: string }>;
  /** Access tokens stop working (as if revoked early): the client must refresh. */
  invalidateAccessTokens(email: string): void;
  /** The person removed our access in their Google account settings. */
  revokeGrant(email: string): void;
  fail(fault: Fault): void;
  close(): Promise<void>;
}

export interface MailSeed {
  from: string;
  to: string;
  subject: string;
  text?: string;
  html?: string;
  date?: number;
  threadId?: string;
  labelIds?: string[];
  messageId?: string;
  cc?: string;
  attachments?: Array<{ filename: string; mimeType: string; content: string }>;
}

export const standInTypes = googleTypes;

export async function startGoogleStandIn(
  options: { clientId?: string; clientSecret?: string } = {},
): Promise<GoogleStandIn> {
  const state = createState({
    clientId: options.clientId ?? "stand-in-client.apps.googleusercontent.com",
    clientSecret: options.clientSecret ?? "stand-in-secret",
  });
  const routes: Route[] = [
    ...oauthRoutes(state),
    ...gmailRoutes(state),
    ...calendarRoutes(state),
    ...driveRoutes(state),
    ...sheetsRoutes(state),
  ];
  const requests: RecordedGoogleRequest[] = [];
  const errors: unknown[] = [];
  const faults: Array<Fault & { left: number }> = [];

  const server = createServer((incoming, response) => {
    void (async () => {
      const request = await readRequest(incoming);
      const record: RecordedGoogleRequest = {
        method: request.method,
        path: request.path,
        query: request.url.searchParams,
        authorization: incoming.headers.authorization,
        status: 0,
      };
      requests.push(record);
      response.on("finish", () => {
        record.status = response.statusCode;
      });
      const fault = faults.find(
        (item) =>
          item.left > 0 && item.path.test(request.path) && (!item.method || item.method === request.method),
      );
      if (fault) {
        fault.left -= 1;
        return injectFault(response, fault);
      }
      for (const candidate of routes) {
        if (candidate.method !== request.method) continue;
        const match = candidate.pattern.exec(request.path);
        if (!match) continue;
        return candidate.handler({ ...request, params: match.slice(1) }, response);
      }
      apiError(response, 404, "notFound", `stand-in: no route for ${request.method} ${request.path}`);
    })().catch((error: unknown) => {
      errors.push(error);
      if (!response.headersSent) apiError(response, 500, "backendError", String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    clientId: state.clientId,
    clientSecret: state.clientSecret,
    endpoints: {
      authorize: `${url}${oauthPaths.authorize}`,
      token: `${url}${oauthPaths.token}`,
      revoke: `${url}${oauthPaths.revoke}`,
    },
    state,
    requests,
    errors,
    account: (email) => addAccount(state, email),
    signInAs(email, decision = "allow") {
      addAccount(state, email);
      state.consent = { email, decision };
    },
    allowRedirect: (uri) => state.redirectUris.add(uri),
    addMail: (email, seed) => seedMail(state, addAccount(state, email), seed),
    addEvent(email, event) {
      const now = new Date(state.now()).toISOString();
      const stored: CalendarEvent = {
        ...event,
        id: event.id ?? state.nextId(),
        calendarId: email,
        status: "confirmed",
        created: now,
        updated: now,
        sequence: 0,
      };
      addAccount(state, email).events.push(stored);
      return stored;
    },
    addFile(email, file) {
      const stored: DriveFile = {
        ...file,
        id: file.id ?? state.nextId("1"),
        owner: email,
        modifiedTime: new Date(state.now()).toISOString(),
      };
      addAccount(state, email).files.push(stored);
      return stored;
    },
    sent: (email) =>
      (state.accounts.get(email)?.mail ?? [])
        .filter((mail) => mail.labelIds.includes("SENT") && mail.raw)
        .map((mail) => {
          const parsed = parseRaw(mail.raw!);
          return {
            id: mail.id,
            threadId: mail.threadId,
            headers: Object.fromEntries(parsed.headers.map((item) => [item.name.toLowerCase(), item.value])),
            body: parsed.body,
          };
        }),
    invalidateAccessTokens(email) {
      for (const access of state.accessTokens.values())
        if (access.grant.email === email) access.invalidated = true;
    },
    revokeGrant(email) {
      for (const grant of state.grants) if (grant.email === email) grant.revoked = true;
    },
    fail: (fault) => faults.push({ ...fault, left: fault.times ?? 1 }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function injectFault(response: ServerResponse, fault: Fault): void {
  const reason = fault.reason ?? (fault.status === 429 ? "rateLimitExceeded" : "backendError");
  const message =
    fault.message ??
    (reason === "userRateLimitExceeded"
      ? "User Rate Limit Exceeded"
      : reason === "rateLimitExceeded"
        ? "Rate Limit Exceeded"
        : "Backend Error");
  apiError(response, fault.status, reason, message, {
    domain: reason.includes("RateLimit") || reason === "rateLimitExceeded" ? "usageLimits" : "global",
    headers: fault.retryAfterSeconds !== undefined ? { "retry-after": String(fault.retryAfterSeconds) } : {},
  });
}

function seedMail(state: StandInState, account: StandInAccount, seed: MailSeed): StoredMail {
  const id = state.nextId();
  const parts: MailPart[] = [];
  if (seed.text !== undefined) parts.push({ mimeType: "text/plain", text: seed.text });
  if (seed.html !== undefined) parts.push({ mimeType: "text/html", text: seed.html });
  for (const attachment of seed.attachments ?? []) {
    parts.push({
      mimeType: attachment.mimeType,
      filename: attachment.filename,
      data: Buffer.from(attachment.content),
    });
  }
  const date = seed.date ?? state.now();
  const mail: StoredMail = {
    id,
    threadId: seed.threadId ?? id,
    labelIds: seed.labelIds ?? ["INBOX", "UNREAD"],
    internalDate: date,
    headers: [
      { name: "From", value: seed.from },
      { name: "To", value: seed.to },
      ...(seed.cc ? [{ name: "Cc", value: seed.cc }] : []),
      { name: "Subject", value: seed.subject },
      { name: "Date", value: new Date(date).toUTCString() },
      { name: "Message-ID", value: seed.messageId ?? `<${id}@mail.example.com>` },
    ],
    parts,
  };
  account.mail.push(mail);
  return mail;
}
