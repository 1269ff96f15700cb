import { element } from "./text.js";

/**
 * The message box: Enter sends, Shift+Enter starts a new line. Typing `@` offers the workspace's
 * people and the app (Tab or Enter picks); the server turns `@name` into a real `<@U…>` mention.
 * Text starting with `/command` is run as a slash command.
 */
export function createComposer({ placeholder, people, send }) {
  const box = element("textarea", {
    className: "composer-input",
    rows: "1",
    placeholder,
    "aria-label": placeholder,
  });
  const suggestions = element("ul", { className: "mention-suggestions", role: "listbox", hidden: true });
  const hint = element("div", {
    className: "composer-hint",
    text: "@ to mention · /coworker for commands · Shift+Enter for a new line",
  });
  const sendButton = element("button", {
    className: "composer-send",
    type: "button",
    title: "Send",
    text: "➤",
  });
  const root = element(
    "div",
    { className: "composer" },
    suggestions,
    element("div", { className: "composer-row" }, box, sendButton),
    hint,
  );
  let matches = [];
  let selected = 0;

  const submit = async () => {
    const text = box.value.trim();
    if (!text || box.disabled) return;
    box.disabled = true;
    try {
      if (await send(text)) box.value = "";
    } finally {
      box.disabled = false;
      box.focus();
      resize();
    }
  };
  const resize = () => {
    box.style.height = "auto";
    box.style.height = `${Math.min(box.scrollHeight, 200)}px`;
  };
  const query = () => /(^|\s)@([\w.-]*)$/.exec(box.value.slice(0, box.selectionStart))?.[2];
  const showSuggestions = () => {
    const typed = query();
    matches =
      typed === undefined
        ? []
        : people()
            .filter((person) =>
              [person.name, person.realName].some((name) =>
                name.toLowerCase().startsWith(typed.toLowerCase()),
              ),
            )
            .slice(0, 8);
    selected = 0;
    suggestions.replaceChildren(
      ...matches.map((person, index) =>
        element(
          "li",
          {
            role: "option",
            className: index === selected ? "selected" : "",
            "aria-selected": String(index === selected),
            onmousedown: (event) => {
              event.preventDefault();
              pick(person);
            },
          },
          element("strong", { text: person.realName }),
          element("span", { text: ` @${person.name}${person.isBot ? " · app" : ""}` }),
        ),
      ),
    );
    suggestions.hidden = matches.length === 0;
  };
  const pick = (person) => {
    const before = box.value.slice(0, box.selectionStart).replace(/@([\w.-]*)$/, `@${person.name} `);
    box.value = before + box.value.slice(box.selectionStart);
    box.setSelectionRange(before.length, before.length);
    matches = [];
    suggestions.hidden = true;
  };

  box.addEventListener("input", () => {
    resize();
    showSuggestions();
  });
  box.addEventListener("blur", () => {
    suggestions.hidden = true;
  });
  box.addEventListener("keydown", (event) => {
    if (!suggestions.hidden && matches.length > 0) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        selected = (selected + (event.key === "ArrowDown" ? 1 : matches.length - 1)) % matches.length;
        [...suggestions.children].forEach((item, index) => {
          item.className = index === selected ? "selected" : "";
        });
        return;
      }
      if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        pick(matches[selected]);
        return;
      }
      if (event.key === "Escape") {
        suggestions.hidden = true;
        return;
      }
    }
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void submit();
    }
  });
  sendButton.addEventListener("click", () => void submit());
  return { root, focus: () => box.focus() };
}
