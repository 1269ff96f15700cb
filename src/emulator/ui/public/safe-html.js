/**
 * HTML safety for everything the app sends: text is escaped before it becomes markup, and markup is
 * parsed into an inert <template> and cut down to an allow-list of tags and attributes before it is
 * shown. Links keep only http(s) and mailto addresses and open in a new tab.
 */
const allowedTags = new Set([
  "a",
  "b",
  "blockquote",
  "br",
  "code",
  "del",
  "em",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "hr",
  "i",
  "input",
  "li",
  "ol",
  "p",
  "pre",
  "s",
  "span",
  "strong",
  "table",
  "tbody",
  "td",
  "th",
  "thead",
  "tr",
  "ul",
]);
/** Dropped with everything inside them; other unknown tags are replaced by their content. */
const droppedTags = new Set(["script", "style", "iframe", "object", "embed", "template", "svg", "math"]);
const allowedAttributes = {
  a: ["href", "title"],
  input: ["type", "checked", "disabled"],
  ol: ["start"],
  td: ["align"],
  th: ["align"],
};

export function escapeHtml(text) {
  return String(text)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** The address if it is http(s) or mailto, else undefined. */
export function safeUrl(address) {
  try {
    const url = new URL(String(address), window.location.href);
    return ["http:", "https:", "mailto:"].includes(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Parses markup without running or loading anything, keeps only what is allowed. */
export function safeFragment(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  clean(template.content);
  return template.content;
}

function clean(parent) {
  for (const node of [...parent.childNodes]) {
    if (node.nodeType === Node.TEXT_NODE) continue;
    if (node.nodeType !== Node.ELEMENT_NODE) {
      node.remove();
      continue;
    }
    const tag = node.localName;
    if (droppedTags.has(tag)) {
      node.remove();
      continue;
    }
    clean(node);
    if (!allowedTags.has(tag) || (tag === "input" && node.getAttribute("type") !== "checkbox")) {
      node.replaceWith(...node.childNodes);
      continue;
    }
    const keep = allowedAttributes[tag] ?? [];
    for (const attribute of [...node.attributes]) {
      if (attribute.name === "class" && /^[\w -]*$/.test(attribute.value)) continue;
      if (!keep.includes(attribute.name)) node.removeAttribute(attribute.name);
    }
    if (tag === "a") {
      const href = safeUrl(node.getAttribute("href") ?? "");
      if (href) {
        node.setAttribute("href", href);
        node.setAttribute("target", "_blank");
        node.setAttribute("rel", "noopener noreferrer");
      } else node.removeAttribute("href");
    }
  }
}
