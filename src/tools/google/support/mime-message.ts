/**
 * An outgoing mail as an RFC 2822 message for Gmail's `raw` field (base64url): UTF-8 text body in
 * base64, non-ASCII headers as RFC 2047 encoded words, reply headers (In-Reply-To, References) so the
 * reply joins its thread, and our idempotency header (X-Coworker-Key) for reconciliation.
 */
export interface OutgoingMail {
  to: string[];
  cc?: string[];
  bcc?: string[];
  subject: string;
  body: string;
  inReplyTo?: string;
  references?: string;
  /** Extra headers (ASCII values), e.g. X-Coworker-Key. */
  headers?: Record<string, string>;
}

export function buildRawMessage(mail: OutgoingMail): string {
  const lines = [
    `To: ${mail.to.map(encodeAddress).join(", ")}`,
    ...(mail.cc?.length ? [`Cc: ${mail.cc.map(encodeAddress).join(", ")}`] : []),
    ...(mail.bcc?.length ? [`Bcc: ${mail.bcc.map(encodeAddress).join(", ")}`] : []),
    `Subject: ${encodeWord(mail.subject)}`,
    ...(mail.inReplyTo ? [`In-Reply-To: ${mail.inReplyTo}`] : []),
    ...(mail.references ? [`References: ${mail.references}`] : []),
    ...Object.entries(mail.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
    "MIME-Version: 1.0",
    'Content-Type: text/plain; charset="UTF-8"',
    "Content-Transfer-Encoding: base64",
  ];
  for (const line of lines) {
    if (/[\r\n]/.test(line)) throw new Error("a header contains a line break");
  }
  const body = Buffer.from(mail.body.replace(/\r?\n/g, "\r\n"), "utf8")
    .toString("base64")
    .replace(/.{76}/g, "$&\r\n");
  return Buffer.from(`${lines.join("\r\n")}\r\n\r\n${body}`, "utf8").toString("base64url");
}

/** `Name <address>` with a non-ASCII name encoded; a bare address as is. */
function encodeAddress(address: string): string {
  const match = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(address);
  if (!match) return address.trim();
  const name = match[1]!.replace(/^"|"$/g, "");
  if (!name) return `<${match[2]}>`;
  return `${/^[\x20-\x7e]*$/.test(name) ? `"${name.replaceAll('"', "")}"` : encodeWord(name)} <${match[2]}>`;
}

function encodeWord(text: string): string {
  return /^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text, "utf8").toString("base64")}?=`;
}

/** The address part of `Name <address>` (or the whole string). */
export function addressOf(value: string): string {
  return (/<([^>]+)>/.exec(value)?.[1] ?? value).trim();
}
