import { emojiCharacter } from "./emoji.js";
import { safeUrl } from "./safe-html.js";
import { element } from "./text.js";

/** The `rich_text` block: sections, lists, preformatted text and quotes, built as DOM (no markup). */
export function renderRichText(block, names) {
  return element(
    "div",
    { className: "rich-text" },
    ...(block.elements ?? []).map((part) => container(part, names)),
  );
}

function container(part, names) {
  switch (part.type) {
    case "rich_text_section":
      return element("div", { className: "rich-section" }, ...inline(part.elements, names));
    case "rich_text_preformatted":
      return element("pre", {}, ...inline(part.elements, names));
    case "rich_text_quote":
      return element("blockquote", {}, ...inline(part.elements, names));
    case "rich_text_list": {
      const list = element(part.style === "ordered" ? "ol" : "ul", {
        className: `rich-list indent-${Number(part.indent ?? 0)}`,
      });
      if (part.offset) list.setAttribute("start", String(Number(part.offset) + 1));
      list.append(...(part.elements ?? []).map((item) => element("li", {}, container(item, names))));
      return list;
    }
    default:
      return element("span", { className: "unsupported", text: `[${part.type}]` });
  }
}

function inline(elements, names) {
  return (elements ?? []).map((item) => styled(leaf(item, names), item.style));
}

function leaf(item, names) {
  switch (item.type) {
    case "text":
      return document.createTextNode(String(item.text ?? ""));
    case "link": {
      const url = safeUrl(item.url ?? "");
      const label = String(item.text ?? item.url ?? "");
      return url
        ? element("a", { href: url, target: "_blank", rel: "noopener noreferrer", text: label })
        : document.createTextNode(label);
    }
    case "user":
      return element("span", { className: "mention", text: `@${names.user(item.user_id) ?? item.user_id}` });
    case "channel":
      return element("span", {
        className: "mention channel-link",
        text: `#${names.channel(item.channel_id) ?? item.channel_id}`,
      });
    case "usergroup":
      return element("span", { className: "mention", text: `@${item.usergroup_id}` });
    case "broadcast":
      return element("span", { className: "mention broadcast", text: `@${item.range}` });
    case "emoji":
      return document.createTextNode(unicodeEmoji(item) ?? emojiCharacter(item.name) ?? `:${item.name}:`);
    case "date":
      return document.createTextNode(
        String(item.fallback ?? new Date(Number(item.timestamp) * 1000).toLocaleString()),
      );
    case "color":
      return element("code", { text: String(item.value ?? "") });
    default:
      return element("span", { className: "unsupported", text: `[${item.type}]` });
  }
}

function unicodeEmoji(item) {
  if (typeof item.unicode !== "string" || !/^[0-9a-f]+(-[0-9a-f]+)*$/i.test(item.unicode)) return undefined;
  return String.fromCodePoint(...item.unicode.split("-").map((code) => Number.parseInt(code, 16)));
}

function styled(node, style) {
  let result = node;
  if (!style) return result;
  if (style.code) result = element("code", {}, result);
  if (style.strike) result = element("del", {}, result);
  if (style.italic) result = element("em", {}, result);
  if (style.bold) result = element("strong", {}, result);
  return result;
}
