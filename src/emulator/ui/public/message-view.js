import { renderBlocks } from "./blocks.js";
import { emojiCharacter } from "./emoji.js";
import { markdownFragment } from "./markdown.js";
import { mrkdwnFragment } from "./mrkdwn.js";
import { element } from "./text.js";

/**
 * One message as a Slack client shows it: avatar, name, time, body (blocks, streamed Markdown, or
 * mrkdwn text), files, attachments, reactions, thread summary, and a hover toolbar. `view` gives
 * `author(message)`, `blockContext(message)`, `me`, and the handlers `openThread`, `react`.
 */
export function renderMessage(message, view, options = {}) {
  const author = view.author(message);
  const node = element(
    "article",
    {
      className: ["message", message.ephemeral && "ephemeral", message.botId && "from-bot"]
        .filter(Boolean)
        .join(" "),
      dataset: { key: messageKey(message), ts: message.ts },
      "aria-label": `${author.name} at ${clock(message.ts)}`,
    },
    element("div", {
      className: `avatar avatar-${author.hue}`,
      "aria-hidden": "true",
      text: author.initials,
    }),
    element(
      "div",
      { className: "message-main" },
      element(
        "header",
        { className: "message-header" },
        element("span", { className: "author", text: author.name }),
        author.isApp ? element("span", { className: "app-badge", text: "APP" }) : undefined,
        element("time", { className: "time", datetime: isoTime(message.ts), text: clock(message.ts) }),
        message.edited ? element("span", { className: "edited", text: "(edited)" }) : undefined,
      ),
      body(message, view),
      files(message),
      attachments(message, view),
      reactions(message, view),
      !options.inThread && message.replyCount > 0
        ? element(
            "button",
            { className: "thread-summary", type: "button", onclick: () => view.openThread(message) },
            element("span", {
              className: "reply-count",
              text: `${message.replyCount} ${message.replyCount === 1 ? "reply" : "replies"}`,
            }),
            element("span", { className: "last-reply", text: `Last reply ${clock(message.latestReply)}` }),
          )
        : undefined,
      message.ephemeral
        ? element("div", { className: "ephemeral-note", text: "👁 Only visible to you" })
        : undefined,
    ),
  );
  if (!message.ephemeral && message.subtype !== "tombstone") node.append(toolbar(message, view, options));
  return node;
}

export function messageKey(message) {
  return `${message.ephemeral ? "ephemeral:" : ""}${message.channel}:${message.ts}`;
}

function body(message, view) {
  const container = element("div", { className: "message-body" });
  if (message.subtype === "tombstone") {
    container.append(element("em", { className: "tombstone", text: "This message was deleted." }));
    return container;
  }
  if (message.subtype === "assistant_app_thread") {
    container.append(element("em", { text: message.assistantThread?.title || "New assistant thread" }));
    return container;
  }
  const blocks = message.blocks ?? [];
  const typedByPerson =
    !message.botId && !message.ephemeral && blocks.every((block) => block.type === "rich_text");
  if (blocks.length > 0 && !typedByPerson) container.append(renderBlocks(blocks, view.blockContext(message)));
  else if (message.stream)
    container.append(element("div", { className: "markdown" }, markdownFragment(message.text)));
  else if (message.text)
    container.append(element("div", { className: "mrkdwn" }, mrkdwnFragment(message.text, view.names)));
  if (message.stream?.state === "streaming") {
    container.classList.add("streaming");
    container.append(element("span", { className: "stream-cursor", "aria-label": "streaming" }));
  }
  return container;
}

function files(message) {
  if (!message.files?.length) return undefined;
  return element(
    "div",
    { className: "files" },
    ...message.files.map((file) =>
      element(
        "a",
        { className: "file-chip", href: `/ui/api/files/${encodeURIComponent(file.id)}`, download: file.name },
        `📄 ${file.title || file.name}`,
        element("span", { className: "file-size", text: ` ${size(file.length)}` }),
      ),
    ),
  );
}

const namedColors = { good: "#2eb67d", warning: "#ecb22e", danger: "#e01e5a" };

function attachments(message, view) {
  if (!message.attachments?.length) return undefined;
  return element(
    "div",
    { className: "attachments" },
    ...message.attachments.map((attachment) => {
      const node = element(
        "div",
        { className: "attachment" },
        attachment.pretext ? element("div", {}, mrkdwnFragment(attachment.pretext, view.names)) : undefined,
        attachment.title ? element("strong", { text: attachment.title }) : undefined,
        attachment.text ? element("div", {}, mrkdwnFragment(attachment.text, view.names)) : undefined,
        ...(attachment.fields ?? []).map((field) =>
          element(
            "div",
            { className: "attachment-field" },
            element("strong", { text: field.title ?? "" }),
            element("div", {}, mrkdwnFragment(field.value ?? "", view.names)),
          ),
        ),
        attachment.blocks ? renderBlocks(attachment.blocks, view.blockContext(message)) : undefined,
        attachment.footer
          ? element("div", { className: "attachment-footer", text: attachment.footer })
          : undefined,
      );
      const color =
        namedColors[attachment.color] ??
        (/^#?[0-9a-f]{3,8}$/i.test(attachment.color ?? "")
          ? `#${attachment.color.replace("#", "")}`
          : undefined);
      if (color) node.style.borderLeftColor = color;
      return node;
    }),
  );
}

function reactions(message, view) {
  if (!message.reactions?.length) return undefined;
  return element(
    "div",
    { className: "reactions" },
    ...message.reactions.map((reaction) => {
      const mine = reaction.users.includes(view.me);
      return element(
        "button",
        {
          className: `reaction${mine ? " mine" : ""}`,
          type: "button",
          title: reaction.users.map((user) => view.names.user(user) ?? user).join(", "),
          onclick: () => view.react(message, reaction.name, mine),
        },
        `${emojiCharacter(reaction.name) ?? `:${reaction.name}:`} ${reaction.users.length}`,
      );
    }),
  );
}

const quickReactions = ["eyes", "white_check_mark", "+1"];

function toolbar(message, view, options) {
  const bar = element("div", { className: "message-toolbar", role: "toolbar" });
  for (const name of quickReactions) {
    bar.append(
      element("button", {
        type: "button",
        title: `React with :${name}:`,
        text: emojiCharacter(name),
        onclick: () => view.react(message, name, false),
      }),
    );
  }
  if (!options.inThread) {
    bar.append(
      element("button", {
        type: "button",
        title: "Reply in thread",
        text: "💬",
        onclick: () => view.openThread(message),
      }),
    );
  }
  return bar;
}

export function clock(ts) {
  if (!ts) return "";
  return new Date(Number(ts) * 1000).toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
}

function isoTime(ts) {
  return new Date(Number(ts) * 1000).toISOString();
}

function size(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
