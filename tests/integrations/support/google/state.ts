/**
 * Everything the Google stand-in knows: OAuth clients, codes and tokens, and per-account data
 * (mail, calendars, Drive files). Tests seed it through the stand-in's helpers and read it back to
 * check what the app did.
 */
export interface MailPart {
  mimeType: string;
  text?: string;
  filename?: string;
  data?: Buffer;
}

export interface StoredMail {
  id: string;
  threadId: string;
  labelIds: string[];
  internalDate: number;
  headers: Array<{ name: string; value: string }>;
  /** Body parts: text/plain, text/html, attachments. */
  parts: MailPart[];
  /** The raw RFC 2822 text, for messages the app sent or drafted. */
  raw?: string;
}

export interface CalendarEvent {
  id: string;
  calendarId: string;
  status: string;
  summary?: string;
  description?: string;
  location?: string;
  start: { dateTime?: string; date?: string; timeZone?: string };
  end: { dateTime?: string; date?: string; timeZone?: string };
  attendees?: Array<{ email: string; responseStatus?: string; optional?: boolean }>;
  transparency?: string;
  created: string;
  updated: string;
  sequence: number;
  /** The sendUpdates the app asked for on the last write. */
  sendUpdates?: string;
}

export interface DriveFile {
  id: string;
  name: string;
  mimeType: string;
  owner: string;
  modifiedTime: string;
  /** Plain text content (Docs, text files). */
  text?: string;
  /** Spreadsheets: sheet title to rows. */
  sheets?: Array<{ title: string; rows: string[][] }>;
  appProperties?: Record<string, string>;
  /** Created through the API by our OAuth client (visible with drive.file). */
  createdByApp?: boolean;
  trashed?: boolean;
}

export interface StandInAccount {
  email: string;
  sub: string;
  mail: StoredMail[];
  drafts: Map<string, string>;
  events: CalendarEvent[];
  files: DriveFile[];
}

export interface Grant {
  email: string;
  clientId: string;
  /** Full scope strings. */
  scopes: Set<string>;
  revoked: boolean;
}

export interface IssuedCode {
  code: string;
  grant: Grant;
  scopes: string[];
  redirectUri: string;
  challenge: string | undefined;
  challengeMethod: string | undefined;
  expiresAt: number;
  used: boolean;
}

export interface AccessToken {
  token: string;
  grant: Grant;
  scopes: string[];
  expiresAt: number;
  invalidated: boolean;
}

export interface StandInState {
  clientId: string;
  clientSecret: string;
  redirectUris: Set<string>;
  accounts: Map<string, StandInAccount>;
  grants: Grant[];
  codes: Map<string, IssuedCode>;
  refreshTokens: Map<string, Grant>;
  accessTokens: Map<string, AccessToken>;
  /** Who is signed in at the consent screen, and what they decide. */
  consent: { email: string; decision: "allow" | "deny" };
  accessTokenLifetimeSeconds: number;
  now(): number;
  nextId(prefix?: string): string;
}

export function createState(options: { clientId: string; clientSecret: string }): StandInState {
  let counter = 0x18c0000;
  return {
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    redirectUris: new Set(),
    accounts: new Map(),
    grants: [],
    codes: new Map(),
    refreshTokens: new Map(),
    accessTokens: new Map(),
    consent: { email: "", decision: "allow" },
    accessTokenLifetimeSeconds: 3599,
    now: Date.now,
    nextId(prefix = "") {
      counter += 1;
      return `${prefix}${counter.toString(16)}${Math.floor(Math.random() * 0xffff)
        .toString(16)
        .padStart(4, "0")}`;
    },
  };
}

export function addAccount(state: StandInState, email: string): StandInAccount {
  const existing = state.accounts.get(email);
  if (existing) return existing;
  const account: StandInAccount = {
    email,
    sub: String(100000000000000000000 + state.accounts.size),
    mail: [],
    drafts: new Map(),
    events: [],
    files: [],
  };
  state.accounts.set(email, account);
  return account;
}

export function header(mail: StoredMail, name: string): string | undefined {
  return mail.headers.find((item) => item.name.toLowerCase() === name.toLowerCase())?.value;
}
