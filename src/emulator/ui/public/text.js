import { replaceEmoji } from "./emoji.js";
import { mrkdwnFragment } from "./mrkdwn.js";

/** A Block Kit text object (`plain_text` or `mrkdwn`) as a node. */
export function renderText(text, names, tag = "span") {
  const node = document.createElement(tag);
  node.className = "text";
  if (!text) return node;
  if (typeof text === "string") node.textContent = text;
  else if (text.type === "mrkdwn") node.append(mrkdwnFragment(text.text, names));
  else
    node.textContent = text.emoji === false ? String(text.text ?? "") : replaceEmoji(String(text.text ?? ""));
  return node;
}

/** The words of a text object, for labels and options. */
export function plainWords(text) {
  if (!text) return "";
  if (typeof text === "string") return text;
  return replaceEmoji(String(text.text ?? ""));
}

/** `element(tag, { className, text, ...attributes }, ...children)`: a small DOM helper. */
export function element(tag, properties = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(properties)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "className") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  node.append(...children.filter((child) => child !== undefined && child !== null && child !== false));
  return node;
}
