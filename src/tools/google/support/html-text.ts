import { parseHTML } from "linkedom";
import TurndownService from "turndown";

/** An HTML mail body (or HTML export) as Markdown-ish text a model reads well. */
export function htmlToText(html: string): string {
  const { document } = parseHTML(`<!doctype html><html><body>${bodyOf(html)}</body></html>`);
  for (const element of Array.from(document.querySelectorAll("script, style, head, title, meta"))) {
    element.remove();
  }
  const turndown = new TurndownService({ headingStyle: "atx", bulletListMarker: "-" });
  turndown.remove(["script", "style"]);
  turndown.addRule("images", {
    filter: "img",
    replacement: (_content, node) => {
      const alt = (node as HTMLElement).getAttribute("alt");
      return alt ? `[image: ${alt}]` : "";
    },
  });
  return turndown
    .turndown(document.body?.innerHTML ?? "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function bodyOf(html: string): string {
  const match = /<body[^>]*>([\s\S]*)<\/body>/i.exec(html);
  return match?.[1] ?? html;
}
