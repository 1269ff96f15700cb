import type { webApi } from "@slack/bolt";
import type { Redactor } from "../security/redact.js";

/**
 * Every request this process sends to Slack passes through here (the `fetch` of every WebClient, ours
 * in ./clients.ts and Bolt's in ./app.ts, which Bolt's respond() uses too), so nothing reaches Slack
 * with a secret in it: a post, an edit, an ephemeral note, a reply to a response_url, a view, a file. Values are redacted one by one (the form is
 * parsed, never edited as encoded text), except the fields that authenticate the request itself, and
 * the sign-in methods (OAuth, auth.test) are sent as they are.
 */
type FetchFunction = webApi.FetchFunction;
type FetchInit = NonNullable<Parameters<FetchFunction>[1]>;

/** Fields that must reach Slack as they are: they authenticate the call or exchange a grant. */
const credentialFields = new Set(["token", "client_id", "client_secret", "code", "refresh_token"]);
/**
 * Inside blocks, views and metadata: values that are ours and signed or structural (a button's signed
 * value, a link we minted, ids), never text a person reads. A token-shaped run of characters inside a
 * signature must not be cut out of it.
 */
const structuralKeys = new Set(["value", "action_id", "block_id", "callback_id", "url", "event_payload"]);
/** Methods that carry credentials by design and no content anyone reads. */
const credentialMethod = /^(?:oauth|openid|auth|apps\.connections)\./;

export function redactingFetch(
  redact: Redactor,
  base: FetchFunction = globalThis.fetch as never,
): FetchFunction {
  return async (url, init) => {
    if (!init?.body || credentialMethod.test(methodOf(url))) return base(url, init);
    if (typeof init.body === "string" && isJson(init.headers)) {
      // A reply through a response_url (Bolt's respond()): one JSON message.
      return base(url, { ...init, body: redactField("json", init.body, redact) });
    }
    return base(url, { ...init, body: await redactBody(init.body, redact) } as FetchInit);
  };
}

function isJson(headers: Record<string, string> | undefined): boolean {
  return Object.entries(headers ?? {}).some(
    ([name, value]) => name.toLowerCase() === "content-type" && value.includes("application/json"),
  );
}

function methodOf(url: string | URL): string {
  const path = new URL(String(url)).pathname;
  return path.slice(path.lastIndexOf("/") + 1);
}

async function redactBody(
  body: NonNullable<FetchInit["body"]>,
  redact: Redactor,
): Promise<FetchInit["body"]> {
  if (typeof body === "string") {
    const form = new URLSearchParams(body);
    const redacted = new URLSearchParams();
    for (const [key, value] of form) redacted.append(key, redactField(key, value, redact));
    return redacted.toString();
  }
  const redacted = new FormData();
  for (const [key, value] of body as unknown as Iterable<[string, string | Blob]>) {
    if (typeof value === "string") {
      redacted.append(key, redactField(key, value, redact));
    } else {
      redacted.append(key, await redactFile(value, redact), (value as { name?: string }).name);
    }
  }
  return redacted;
}

/** One form field: text is redacted; JSON (blocks, views, attachments) leaf by leaf. */
function redactField(key: string, value: string, redact: Redactor): string {
  if (credentialFields.has(key)) return value;
  if (!/^\s*[[{]/.test(value)) return redact(value);
  try {
    return JSON.stringify(redactLeaves(JSON.parse(value), redact));
  } catch {
    return redact(value);
  }
}

function redactLeaves(value: unknown, redact: Redactor): unknown {
  if (typeof value === "string") return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactLeaves(item, redact));
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      structuralKeys.has(key) ? item : redactLeaves(item, redact),
    ]),
  );
}

/** A text file's content is redacted; anything that is not UTF-8 text is sent as it is. */
async function redactFile(file: Blob, redact: Redactor): Promise<Blob> {
  const bytes = Buffer.from(await file.arrayBuffer());
  const text = bytes.toString("utf8");
  if (!Buffer.from(text, "utf8").equals(bytes)) return file;
  return new Blob([redact(text)], { type: file.type });
}
