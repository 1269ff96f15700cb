import { Marked } from "/ui/vendor/marked.js";
import { replaceEmoji } from "./emoji.js";
import { escapeHtml, safeFragment, safeUrl } from "./safe-html.js";

/**
 * Standard Markdown (the `markdown` block and streamed text) with `marked`: raw HTML in the source is
 * shown as text, links keep only safe addresses, images become links (nothing is loaded), and the
 * result goes through the allow-list in safe-html.js like everything else.
 */
const marked = new Marked({
  gfm: true,
  breaks: true,
  renderer: {
    html({ text }) {
      return escapeHtml(text);
    },
    link({ href, title, tokens }) {
      const inner = this.parser.parseInline(tokens);
      const url = safeUrl(href);
      if (!url) return inner;
      const titled = title ? ` title="${escapeHtml(title)}"` : "";
      return `<a href="${escapeHtml(url)}"${titled}>${inner}</a>`;
    },
    image({ href, text }) {
      const url = safeUrl(href);
      const label = escapeHtml(text || href);
      return url ? `<a href="${escapeHtml(url)}">🖼 ${label}</a>` : label;
    },
  },
});

export function markdownFragment(text) {
  const html = marked.parse(String(text ?? ""), { async: false });
  return safeFragment(replaceEmojiOutsideCode(html.trim()));
}

/** `:emoji:` in text, not inside code spans or blocks. */
function replaceEmojiOutsideCode(html) {
  return html
    .split(/(<pre>[\s\S]*?<\/pre>|<code>[\s\S]*?<\/code>|<[^>]+>)/)
    .map((part, index) => (index % 2 === 1 ? part : replaceEmoji(part)))
    .join("");
}
