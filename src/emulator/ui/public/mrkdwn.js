import { replaceEmoji } from "./emoji.js";
import { escapeHtml, safeFragment, safeUrl } from "./safe-html.js";

/**
 * Slack's `mrkdwn` as a Slack client shows it: `*bold*`, `_italic_`, `~strike~`, `` `code` ``,
 * ```` ``` ```` blocks, `>` quotes, `:emoji:`, and the `<…>` specials (mentions, channels, links,
 * `<!here>`, `<!date^…|…>`). The text is entity-decoded then escaped; specials and code are set
 * aside as finished markup first, so formatting never reaches inside them.
 */
export function mrkdwnFragment(text, names) {
  return safeFragment(mrkdwnHtml(text, names));
}

export function mrkdwnHtml(text, names) {
  const held = [];
  const hold = (html) => `\uE000${held.push(html) - 1}\uE001`;
  let html = String(text ?? "").replace(/[\uE000\uE001]/g, "");
  html = html.replace(/```([\s\S]*?)```/g, (_, code) =>
    hold(`<pre>${escapeHtml(decode(code.replace(/^\n/, "")))}</pre>`),
  );
  html = html.replace(/`([^`\n]+)`/g, (_, code) => hold(`<code>${escapeHtml(decode(code))}</code>`));
  html = html.replace(/<([^<>\n]+)>/g, (_, inner) => hold(special(inner, names)));
  html = escapeHtml(decode(html));
  html = quotes(html);
  html = html
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?!\w)/gm, "$1<strong>$2</strong>")
    .replace(/(^|[^\w])_(?=\S)([^_\n]*?\S)_(?!\w)/gm, "$1<em>$2</em>")
    .replace(/(^|[^\w~])~(?=\S)([^~\n]*?\S)~(?!\w)/gm, "$1<del>$2</del>");
  html = replaceEmoji(html).replace(/\n/g, "<br>");
  return html.replace(/\uE000(\d+)\uE001/g, (_, index) => held[Number(index)] ?? "");
}

/** Slack escapes `&`, `<` and `>` in message text. */
export function decode(text) {
  return String(text).replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
}

function quotes(html) {
  const lines = html.split("\n");
  const out = [];
  let quote = [];
  const flush = () => {
    if (quote.length) out.push(`<blockquote>${quote.join("\n")}</blockquote>`);
    quote = [];
  };
  for (const line of lines) {
    const match = /^&gt;\s?(.*)$/.exec(line);
    if (match) quote.push(match[1]);
    else {
      flush();
      out.push(line);
    }
  }
  flush();
  return out.join("\n").replace(/<\/blockquote>\n/g, "</blockquote>");
}

function special(inner, names) {
  const [target = "", label] = splitLabel(inner);
  if (target.startsWith("@")) {
    const id = target.slice(1);
    return mention(`@${names.user(id) ?? label ?? id}`, "mention");
  }
  if (target.startsWith("#")) {
    const id = target.slice(1);
    return mention(`#${names.channel(id) ?? label ?? id}`, "mention channel-link");
  }
  if (target.startsWith("!subteam^")) return mention(label ?? "@group", "mention");
  if (target.startsWith("!date^")) return escapeHtml(formatDate(target, label));
  if (target.startsWith("!")) return mention(`@${target.slice(1)}`, "mention broadcast");
  const url = safeUrl(decode(target));
  const text = escapeHtml(decode(label ?? target));
  return url ? `<a href="${escapeHtml(url)}">${text}</a>` : text;
}

function splitLabel(inner) {
  const bar = inner.indexOf("|");
  return bar === -1 ? [inner, undefined] : [inner.slice(0, bar), inner.slice(bar + 1)];
}

function mention(text, className) {
  return `<span class="${className}">${escapeHtml(text)}</span>`;
}

/** `<!date^1712345678^{date_short_pretty} at {time}|fallback>`, in the viewer's time zone. */
function formatDate(target, fallback) {
  const [, seconds, format = ""] = target.split("^");
  const date = new Date(Number(seconds) * 1000);
  if (Number.isNaN(date.getTime())) return decode(fallback ?? "");
  const day = date.toLocaleDateString(undefined, { month: "short", day: "numeric", year: "numeric" });
  const time = date.toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit" });
  const rendered = format
    .replace(/\{date[a-z_]*\}/g, day)
    .replace(/\{time(_secs)?\}/g, time)
    .replace(/\{ago\}/g, `${day} ${time}`);
  return rendered || decode(fallback ?? "");
}
