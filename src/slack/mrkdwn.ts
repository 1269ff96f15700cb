/**
 * Standard Markdown to Slack mrkdwn, for the `text` of a message (notifications, search, old
 * clients). The input is a model's answer, which anyone can make echo any text, so this is a
 * scanner that runs in linear time: no regular expression here can backtrack (the earlier
 * regex version took seconds to minutes on a few kilobytes of brackets, asterisks or spaces).
 *
 * Code (fenced blocks and inline spans) and links become opaque tokens first: one `\uE000` in the
 * working text each, their final text kept in order beside it. A `\uE000` in the input is itself
 * kept as a token, so the input cannot forge one.
 */
const token = "\uE000";

/** Working text plus the final text of each token, in the order the tokens appear. */
interface Tokenized {
  text: string;
  tokens: string[];
}

export function markdownToMrkdwn(markdown: string): string {
  let document = withCodeKept(markdown);
  document = withLinksKept(document, true);
  document = withLinksKept(document, false);
  const lines = document.text.split("\n").map(formatLine);
  const pieces = lines.join("\n").split(token);
  return pieces
    .map((piece, index) => (index === 0 ? piece : (document.tokens[index - 1] ?? "") + piece))
    .join("");
}

/** Headings, bold, italics, strikethrough and bullets: all of them stay within one line. */
function formatLine(line: string): string {
  if (!/[#*_~+-]/.test(line)) return line;
  const heading = headingText(line);
  let text = paired(heading ?? line, ["**", "__"], "\uE001");
  text = paired(italics(text), ["~~"], "~");
  text = heading === undefined ? bullet(text) : `\uE001${text}\uE001`;
  return text.replaceAll("\uE001", "*");
}

/** `\s` for one character, without a regex call for the common (ASCII) case. */
function isSpace(character: string | undefined): boolean {
  if (character === undefined) return false;
  const code = character.charCodeAt(0);
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return /\s/.test(character);
}

/** `\w` for one character. */
function isWordCharacter(character: string | undefined): boolean {
  if (character === undefined) return false;
  const code = character.charCodeAt(0) | 32; // lower case for letters
  return (code >= 97 && code <= 122) || (character >= "0" && character <= "9") || character === "_";
}

function escapeMarkup(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** Where the next `needle` at or after a position is, for positions that only move forward. */
function forwardFinder(text: string, needle: string): (from: number) => number {
  let found = -2;
  return (from) => {
    if (found !== -1 && found < from) found = text.indexOf(needle, from);
    return found === -1 ? text.length : found;
  };
}

const fenceLine = /^\s{0,3}(`{3,}|~{3,})/;
/** Characters that code spans, escaping or tokens are about: a line without any is kept as it is. */
const special = /[`&<>\uE000\uE001]/;

/** The marker of a line that can close a fence (the marker alone, then only spaces). */
function closingMarker(line: string): string | undefined {
  const match = line.length < 3 ? null : fenceLine.exec(line);
  if (!match || line.slice(match[0].length).trim() !== "") return undefined;
  return match[1];
}

/**
 * Fenced code blocks (closed by a later line with the same marker) become one token line each, and
 * inline code spans tokens within their line; everything else is escaped. A fence that is never
 * closed is ordinary text.
 */
function withCodeKept(markdown: string): Tokenized {
  const lines = markdown.split("\n");
  const closers = new Map<string, number[]>();
  lines.forEach((line, index) => {
    const marker = closingMarker(line);
    if (marker === undefined) return;
    const list = closers.get(marker);
    if (list) list.push(index);
    else closers.set(marker, [index]);
  });
  const seen = new Map<string, number>();
  const tokens: string[] = [];
  const out: string[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    const marker = index < lines.length - 1 && line.length >= 3 ? fenceLine.exec(line)?.[1] : undefined;
    const close = marker === undefined ? -1 : nextCloser(closers.get(marker), seen, marker, index);
    if (close === -1) {
      out.push(special.test(line) ? withInlineCode(line, tokens) : line);
      continue;
    }
    const body = lines.slice(index + 1, close).map((bodyLine) => `${bodyLine}\n`);
    out.push(token);
    tokens.push(`\`\`\`\n${escapeMarkup(body.join(""))}\`\`\``);
    index = close;
  }
  return { text: out.join("\n"), tokens };
}

/** The first closing line after `index`; the cursor per marker only moves forward. */
function nextCloser(
  candidates: number[] | undefined,
  seen: Map<string, number>,
  marker: string,
  index: number,
): number {
  if (!candidates) return -1;
  let at = seen.get(marker) ?? 0;
  while (at < candidates.length && candidates[at]! <= index) at += 1;
  seen.set(marker, at);
  return at < candidates.length ? candidates[at]! : -1;
}

/** Inline code spans (backticks around text on one line) in one line become tokens. */
function withInlineCode(line: string, tokens: string[]): string {
  const nextTick = forwardFinder(line, "`");
  let out = "";
  let copied = 0;
  for (let at = nextTick(0); at < line.length; ) {
    const close = nextTick(at + 1);
    if (close < line.length && close > at + 1) {
      out += escapeProse(line.slice(copied, at), tokens) + token;
      tokens.push(`\`${escapeMarkup(line.slice(at + 1, close))}\``);
      copied = close + 1;
      at = nextTick(close + 1);
    } else {
      at = close;
    }
  }
  return out + escapeProse(line.slice(copied), tokens);
}

const markup: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/** Escapes prose; a `\uE000` or `\uE001` already in it is kept as a token of its own. */
function escapeProse(text: string, tokens: string[]): string {
  if (!/[\uE000\uE001]/.test(text)) return escapeMarkup(text);
  return text.replace(/[&<>\uE000\uE001]/g, (character) => {
    const escaped = markup[character];
    if (escaped !== undefined) return escaped;
    tokens.push(character);
    return token;
  });
}

/**
 * Links `[label](url "title")` (or images `![alt](url)`) become tokens `<url|label>`: the label
 * runs to the first `]`, which must be followed by `(`; the address is what follows up to a space
 * or `)`; the link ends at the next `)`.
 */
function withLinksKept(document: Tokenized, images: boolean): Tokenized {
  const { text } = document;
  const opener = images ? "![" : "[";
  const nextOpener = forwardFinder(text, opener);
  const nextBracket = forwardFinder(text, "]");
  const nextParenthesis = forwardFinder(text, ")");
  const tokens: string[] = [];
  let used = 0;
  const copy = (piece: string) => {
    for (let at = piece.indexOf(token); at !== -1; at = piece.indexOf(token, at + 1))
      tokens.push(document.tokens[used++] ?? "");
    return piece;
  };
  const expand = (piece: string) => piece.replace(/\uE000/g, () => document.tokens[used++] ?? "");
  let out = "";
  let copied = 0;
  for (let at = nextOpener(0); at < text.length; ) {
    const labelStart = at + opener.length;
    const labelEnd = nextBracket(labelStart);
    const addressStart = labelEnd + 2;
    const end = text[labelEnd + 1] === "(" ? nextParenthesis(addressStart) : text.length;
    let addressEnd = addressStart;
    if (end < text.length) while (addressEnd < end && !isSpace(text[addressEnd])) addressEnd += 1;
    if (addressEnd === addressStart || (!images && labelEnd === labelStart)) {
      at = nextOpener(at + 1);
      continue;
    }
    out += copy(text.slice(copied, at)) + token;
    const label = expand(text.slice(labelStart, labelEnd));
    const address = expand(text.slice(addressStart, addressEnd));
    used += text.slice(addressEnd, end).split(token).length - 1;
    tokens.push(`<${address}|${label || address}>`);
    copied = end + 1;
    at = nextOpener(copied);
  }
  out += copy(text.slice(copied));
  return { text: out, tokens };
}

/** The text of a heading line (`# Title ##`), without its marks. */
function headingText(line: string): string | undefined {
  let at = 0;
  while (at < 3 && isSpace(line[at])) at += 1;
  let hashes = 0;
  while (line[at + hashes] === "#") hashes += 1;
  if (hashes < 1 || hashes > 6 || !isSpace(line[at + hashes])) return undefined;
  at += hashes;
  while (isSpace(line[at])) at += 1;
  let end = line.length;
  while (end > at && isSpace(line[end - 1])) end -= 1;
  while (end > at && line[end - 1] === "#") end -= 1;
  while (end > at && isSpace(line[end - 1])) end -= 1;
  return end > at ? line.slice(at, end) : undefined;
}

/**
 * Paired marks (`**bold**`, `__bold__`, `~~gone~~`): an opening mark followed by a non-space, closed
 * by the nearest same mark after a non-space, at least one character later. The candidates for
 * closing are listed once per mark and a cursor only moves forward, so each line is read once.
 */
function paired(text: string, marks: string[], replacement: string): string {
  const finders = marks.map((mark) => forwardFinder(text, mark));
  const closers = marks.map((mark) => {
    const list: number[] = [];
    for (let at = text.indexOf(mark, 1); at !== -1; at = text.indexOf(mark, at + 1))
      if (!isSpace(text[at - 1])) list.push(at);
    return list;
  });
  const cursors = marks.map(() => 0);
  let out = "";
  let copied = 0;
  let from = 0;
  for (;;) {
    let at = text.length;
    let which = 0;
    for (let index = 0; index < marks.length; index += 1) {
      const start = finders[index]!(from);
      if (start < at) [at, which] = [start, index];
    }
    if (at >= text.length) break;
    const mark = marks[which]!;
    const list = closers[which]!;
    const contentStart = at + mark.length;
    let cursor = cursors[which]!;
    while (cursor < list.length && list[cursor]! <= contentStart) cursor += 1;
    cursors[which] = cursor;
    if (contentStart >= text.length || isSpace(text[contentStart]) || cursor === list.length) {
      from = at + 1;
      continue;
    }
    const close = list[cursor]!;
    out += text.slice(copied, at) + replacement + text.slice(contentStart, close) + replacement;
    copied = close + mark.length;
    from = copied;
  }
  return out + text.slice(copied);
}

/** `*italic*` to `_italic_`: the content holds no `*`, so its end is simply the next `*`. */
function italics(text: string): string {
  let out = "";
  let copied = 0;
  for (let at = text.indexOf("*"); at !== -1; ) {
    const before = text[at - 1];
    const after = text[at + 1];
    const opens =
      before !== "*" && !isWordCharacter(before) && after !== undefined && after !== "*" && !isSpace(after);
    const close = opens ? text.indexOf("*", at + 1) : -1;
    if (close !== -1 && !isSpace(text[close - 1]) && text[close + 1] !== "*") {
      out += `${text.slice(copied, at)}_${text.slice(at + 1, close)}_`;
      copied = close + 1;
      at = text.indexOf("*", copied);
    } else {
      at = text.indexOf("*", at + 1);
    }
  }
  return out + text.slice(copied);
}

/** A list item (`-`, `*` or `+` then a space) starts with a bullet. */
function bullet(line: string): string {
  let at = 0;
  while (isSpace(line[at])) at += 1;
  const mark = line[at];
  if ((mark !== "-" && mark !== "*" && mark !== "+") || !isSpace(line[at + 1])) return line;
  let after = at + 1;
  while (isSpace(line[after])) after += 1;
  return `${line.slice(0, at)}• ${line.slice(after)}`;
}
