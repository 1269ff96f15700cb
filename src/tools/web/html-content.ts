import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import TurndownService from "turndown";

/**
 * HTML to readable Markdown: linkedom parses (a light DOM, no browser), Mozilla's Readability keeps
 * the main content (dropping navigation, ads, sidebars, footers) and Turndown writes it as Markdown.
 * Pages Readability cannot find an article in fall back to the body without its boilerplate elements.
 */
export interface ReadableDocument {
  title: string | undefined;
  /** Author line, when the page has one. */
  byline?: string;
  text: string;
}

const boilerplate =
  "script, style, noscript, template, iframe, svg, canvas, form, nav, header, footer, aside";

export function htmlToMarkdown(html: string, url: string): ReadableDocument {
  const article = new Readability(parseDocument(html, url), { charThreshold: 200 }).parse();
  if (article?.content) {
    return { title: clean(article.title), byline: clean(article.byline), text: markdown(article.content) };
  }
  const document = parseDocument(html, url);
  for (const element of Array.from(document.querySelectorAll(boilerplate))) element.remove();
  return { title: clean(document.title), text: markdown(document.body?.innerHTML ?? "") };
}

/** Text of an HTML fragment (a search snippet with <strong> and entities), tags dropped. */
export function htmlFragmentToText(fragment: string): string {
  const { document } = parseHTML("<!doctype html><html><body></body></html>");
  const container = document.createElement("div");
  container.innerHTML = fragment;
  return (container.textContent ?? "").replace(/\s+/g, " ").trim();
}

function parseDocument(html: string, url: string): Document {
  const { document } = parseHTML(html);
  // Readability cannot see the page's URL here: make links and images absolute before it runs.
  for (const [selector, attribute] of [
    ["a[href]", "href"],
    ["img[src]", "src"],
  ] as const) {
    for (const element of Array.from(document.querySelectorAll(selector))) {
      const value = element.getAttribute(attribute);
      if (value === null) continue;
      const absolute = absoluteUrl(value, url);
      if (absolute === undefined) element.removeAttribute(attribute);
      else element.setAttribute(attribute, absolute);
    }
  }
  return document as unknown as Document;
}

function absoluteUrl(value: string, base: string): string | undefined {
  try {
    const url = new URL(value, base);
    // javascript:, data: and the like are noise (or bulk) in text for a model.
    return url.protocol === "http:" || url.protocol === "https:" || url.protocol === "mailto:"
      ? url.href
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Turndown trims its output with `/[\t\r\n\s]+$/`, quadratic in the longest run of whitespace that
 * is not at the end (100 KB of spaces in a <pre> took seconds): runs are cut to 200 characters first.
 */
const longWhitespace = /\s{200}\s+/g;

function markdown(html: string): string {
  const turndown = new TurndownService({
    headingStyle: "atx",
    codeBlockStyle: "fenced",
    bulletListMarker: "-",
  });
  turndown.remove(["script", "style", "noscript", "iframe"]);
  turndown.addRule("imagesWithoutSource", {
    filter: (node) => node.nodeName === "IMG" && !node.getAttribute("src"),
    replacement: (_content, node) => {
      const alt = (node as HTMLElement).getAttribute("alt");
      return alt ? alt : "";
    },
  });
  return turndown
    .turndown(html.replace(longWhitespace, (run) => run.slice(0, 200)))
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function clean(title: string | null | undefined): string | undefined {
  const trimmed = title?.replace(/\s+/g, " ").trim();
  return trimmed ? trimmed : undefined;
}
