import type { ServerResponse } from "node:http";
import { parseRaw, presentMessage } from "./gmail-format.js";
import { apiError, notFound, type Route, route, type StandInRequest, sendJson } from "./http.js";
import { authenticate } from "./oauth.js";
import { header, type StandInAccount, type StandInState, type StoredMail } from "./state.js";

/**
 * Gmail API v1 (users.messages list/get/send, users.threads get, users.drafts create/delete), for
 * `userId: "me"`. `q` supports the search operators the tools use: in:, from:, to:, subject:,
 * rfc822msgid:, and plain words; newer_than:/older_than:/after:/before: are accepted and ignored.
 */
const read = ["gmail.readonly", "gmail.modify", "https://mail.google.com/"];
const compose = ["gmail.compose", "gmail.modify", "https://mail.google.com/"];
const send = ["gmail.send", ...compose];

export function gmailRoutes(state: StandInState): Route[] {
  const base = "^/gmail/v1/users/([^/]+)";
  const account = (request: StandInRequest, response: ServerResponse, scopes: string[]) => {
    const access = authenticate(state, request, response, scopes);
    if (!access) return undefined;
    if (request.params[0] !== "me" && request.params[0] !== access.grant.email) {
      apiError(response, 403, "forbidden", "Delegation denied for " + access.grant.email);
      return undefined;
    }
    return state.accounts.get(access.grant.email);
  };
  return [
    route("GET", new RegExp(`${base}/messages$`), (request, response) => {
      const mailbox = account(request, response, read);
      if (!mailbox) return;
      const query = request.url.searchParams;
      const found = search(mailbox, query.get("q") ?? "", query.getAll("labelIds"));
      const size = Math.min(Number(query.get("maxResults") ?? 100), 500);
      const offset = Number(query.get("pageToken") ?? 0);
      const page = found.slice(offset, offset + size);
      sendJson(response, 200, {
        ...(page.length ? { messages: page.map((mail) => ({ id: mail.id, threadId: mail.threadId })) } : {}),
        ...(offset + size < found.length ? { nextPageToken: String(offset + size) } : {}),
        resultSizeEstimate: found.length,
      });
    }),
    route("GET", new RegExp(`${base}/messages/([^/]+)$`), (request, response) => {
      const mailbox = account(request, response, read);
      if (!mailbox) return;
      const mail = mailbox.mail.find((item) => item.id === request.params[1]);
      if (!mail) return notFound(response);
      const query = request.url.searchParams;
      sendJson(
        response,
        200,
        presentMessage(mail, query.get("format") ?? "full", query.getAll("metadataHeaders")),
      );
    }),
    route("GET", new RegExp(`${base}/threads/([^/]+)$`), (request, response) => {
      const mailbox = account(request, response, read);
      if (!mailbox) return;
      const messages = mailbox.mail.filter((item) => item.threadId === request.params[1]);
      if (!messages.length) return notFound(response);
      const query = request.url.searchParams;
      const format = query.get("format") ?? "full";
      sendJson(response, 200, {
        id: request.params[1],
        historyId: String(messages.at(-1)!.internalDate % 1_000_000),
        messages: messages.map((mail) => presentMessage(mail, format, query.getAll("metadataHeaders"))),
      });
    }),
    route("POST", new RegExp(`${base}/messages/send$`), (request, response) => {
      const mailbox = account(request, response, send);
      if (!mailbox) return;
      const body = request.json<{ raw?: string; threadId?: string }>();
      if (!body.raw)
        return apiError(
          response,
          400,
          "invalidArgument",
          "'raw' RFC822 payload message string or uploading message via /upload/* URL required",
        );
      const mail = store(state, mailbox, body.raw, body.threadId, ["SENT"]);
      sendJson(response, 200, { id: mail.id, threadId: mail.threadId, labelIds: mail.labelIds });
    }),
    route("POST", new RegExp(`${base}/drafts$`), (request, response) => {
      const mailbox = account(request, response, compose);
      if (!mailbox) return;
      const body = request.json<{ message?: { raw?: string; threadId?: string } }>();
      if (!body.message?.raw) return apiError(response, 400, "invalidArgument", "Missing draft message");
      const mail = store(state, mailbox, body.message.raw, body.message.threadId, ["DRAFT"]);
      const id = state.nextId("r");
      mailbox.drafts.set(id, mail.id);
      sendJson(response, 200, {
        id,
        message: { id: mail.id, threadId: mail.threadId, labelIds: mail.labelIds },
      });
    }),
    route("DELETE", new RegExp(`${base}/drafts/([^/]+)$`), (request, response) => {
      const mailbox = account(request, response, compose);
      if (!mailbox) return;
      const messageId = mailbox.drafts.get(request.params[1] ?? "");
      if (!messageId) return notFound(response);
      mailbox.drafts.delete(request.params[1] ?? "");
      mailbox.mail = mailbox.mail.filter((item) => item.id !== messageId);
      response.writeHead(204);
      response.end();
    }),
  ];
}

function store(
  state: StandInState,
  mailbox: StandInAccount,
  raw64: string,
  threadId: string | undefined,
  labelIds: string[],
): StoredMail {
  const raw = Buffer.from(raw64, "base64url").toString("utf8");
  const parsed = parseRaw(raw);
  const id = state.nextId();
  const existingThread = threadId && mailbox.mail.some((item) => item.threadId === threadId);
  const mail: StoredMail = {
    id,
    threadId: existingThread ? threadId : id,
    labelIds,
    internalDate: state.now(),
    headers: [
      { name: "From", value: mailbox.email },
      ...parsed.headers.filter((item) => item.name.toLowerCase() !== "from"),
      // Gmail gives a message without a Message-ID one of its own.
      ...(parsed.headers.some((item) => item.name.toLowerCase() === "message-id")
        ? []
        : [{ name: "Message-ID", value: `<${id}@mail.gmail.com>` }]),
    ],
    parts: [{ mimeType: "text/plain", text: parsed.body }],
    raw,
  };
  mailbox.mail.push(mail);
  return mail;
}

function search(mailbox: StandInAccount, q: string, labelIds: string[]): StoredMail[] {
  const terms = q.match(/(?:[a-z0-9_]+:)?(?:"[^"]*"|\S+)/gi) ?? [];
  return mailbox.mail
    .filter((mail) => labelIds.every((label) => mail.labelIds.includes(label)))
    .filter((mail) => !mail.labelIds.includes("TRASH") && !mail.labelIds.includes("SPAM"))
    .filter((mail) => terms.every((term) => matches(mail, term)))
    .sort((a, b) => b.internalDate - a.internalDate);
}

function matches(mail: StoredMail, term: string): boolean {
  const colon = term.startsWith('"') ? -1 : term.indexOf(":");
  const operator = colon === -1 ? "" : term.slice(0, colon);
  const value = (colon === -1 ? term : term.slice(colon + 1)).replace(/^"|"$/g, "").toLowerCase();
  const has = (text: string | undefined) => (text ?? "").toLowerCase().includes(value);
  switch (operator.toLowerCase()) {
    case "in":
    case "label":
      return (
        value === "anywhere" || mail.labelIds.includes(value === "drafts" ? "DRAFT" : value.toUpperCase())
      );
    case "from":
      return has(header(mail, "From"));
    case "to":
      return has(header(mail, "To")) || has(header(mail, "Cc"));
    case "subject":
      return has(header(mail, "Subject"));
    case "rfc822msgid":
      return (
        (header(mail, "Message-ID") ?? "").replace(/[<>]/g, "").toLowerCase() === value.replace(/[<>]/g, "")
      );
    case "is":
      return value === "unread" ? mail.labelIds.includes("UNREAD") : true;
    case "newer_than":
    case "older_than":
    case "after":
    case "before":
      return true;
    default:
      return (
        has(header(mail, "Subject")) || has(header(mail, "From")) || mail.parts.some((part) => has(part.text))
      );
  }
}
