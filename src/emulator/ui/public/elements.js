import { confirmAction } from "./dialogs.js";
import { safeUrl } from "./safe-html.js";
import { element, plainWords, renderText } from "./text.js";

/**
 * Block Kit elements. `interactiveElement` is for actions blocks and section accessories: operating
 * it calls `context.act(element, blockId, value)` (after a confirm dialog if it has one), which sends
 * the app a real `block_actions`. `inputControl` is for input blocks in modals; its value is read on
 * submit (see modal.js) from the `data-action-id` control.
 */
export function interactiveElement(definition, blockId, context) {
  const act = async (value) => {
    if (definition.confirm && !(await confirmAction(definition.confirm, context.names))) return false;
    await context.act(definition, blockId, value);
    return true;
  };
  switch (definition.type) {
    case "button":
      return button(definition, act);
    case "image":
      return image(definition.image_url, definition.alt_text, "element-image");
    case "overflow":
      return choice(definition, context, act, "⋯");
    case "static_select":
    case "external_select":
    case "users_select":
    case "conversations_select":
    case "channels_select":
      return choice(definition, context, act, plainWords(definition.placeholder) || "Select…");
    case "datepicker":
    case "timepicker": {
      const input = inputControl(definition, blockId, context);
      input.addEventListener("change", () => act(input.value));
      return input;
    }
    default:
      return element("span", { className: "unsupported", text: `[${definition.type}]` });
  }
}

function button(definition, act) {
  const node = element("button", {
    className: `block-button ${definition.style ?? ""}`.trim(),
    type: "button",
    dataset: { actionId: definition.action_id ?? "" },
    text: plainWords(definition.text),
  });
  node.addEventListener("click", async () => {
    const url = definition.url ? safeUrl(definition.url) : undefined;
    if (url) window.open(url, "_blank", "noopener,noreferrer");
    node.disabled = true;
    try {
      await act(definition.value);
    } finally {
      node.disabled = false;
    }
  });
  return node;
}

function choice(definition, context, act, placeholder) {
  const select = element(
    "select",
    { className: "block-select", dataset: { actionId: definition.action_id ?? "" } },
    element("option", { value: "", text: placeholder, disabled: true, selected: true }),
    ...options(definition, context),
  );
  select.addEventListener("change", async () => {
    await act(select.value);
    if (definition.type === "overflow") select.value = "";
  });
  return select;
}

/** `<option>`s of a select: its own options (and groups), or the workspace's people or channels. */
function options(definition, context) {
  if (/users_select$/.test(definition.type)) {
    return context.users.map((user) => element("option", { value: user.id, text: user.realName }));
  }
  if (/(conversations|channels)_select$/.test(definition.type)) {
    return context.conversations
      .filter((conversation) => conversation.name)
      .map((conversation) => element("option", { value: conversation.id, text: `#${conversation.name}` }));
  }
  const option = (item) => element("option", { value: item.value ?? "", text: plainWords(item.text) });
  const groups = (definition.option_groups ?? []).map((group) =>
    element("optgroup", { label: plainWords(group.label) }, ...(group.options ?? []).map(option)),
  );
  return [...(definition.options ?? []).map(option), ...groups];
}

export function image(url, altText, className = "block-image") {
  const source = safeUrl(url ?? "");
  return source
    ? element("img", { className, src: source, alt: altText ?? "", loading: "lazy" })
    : element("span", { className: "unsupported", text: altText ?? "[image]" });
}

/** The form control of an input block, initialised from the definition and the last typed values. */
export function inputControl(definition, blockId, context, state = {}) {
  const data = (kind) => ({ blockId, actionId: definition.action_id ?? "", kind });
  const placeholder = plainWords(definition.placeholder) || undefined;
  const initialOption = state.selected_option?.value ?? definition.initial_option?.value;
  switch (definition.type) {
    case "plain_text_input":
    case "rich_text_input":
    case "number_input":
    case "email_text_input":
    case "url_text_input": {
      const multiline = definition.multiline || definition.type === "rich_text_input";
      const types = { number_input: "number", email_text_input: "email", url_text_input: "url" };
      const control = element(multiline ? "textarea" : "input", {
        className: "block-input",
        type: multiline ? undefined : (types[definition.type] ?? "text"),
        placeholder,
        maxlength: definition.max_length,
        dataset: data("text"),
      });
      control.value = state.value ?? definition.initial_value ?? "";
      return control;
    }
    case "static_select":
    case "external_select":
    case "users_select":
    case "conversations_select":
    case "channels_select": {
      const initial =
        initialOption ??
        definition.initial_user ??
        definition.initial_conversation ??
        definition.initial_channel ??
        "";
      const select = element(
        "select",
        { className: "block-select", dataset: data("select") },
        element("option", { value: "", text: placeholder ?? "Select…" }),
        ...options(definition, context),
      );
      select.value = initial;
      return select;
    }
    case "multi_static_select":
    case "multi_users_select":
    case "multi_conversations_select":
    case "multi_channels_select": {
      const select = element("select", { className: "block-select", multiple: true, dataset: data("multi") });
      select.append(...options(definition, context));
      const initial = (definition.initial_options ?? []).map((item) => item.value);
      for (const item of select.options) item.selected = initial.includes(item.value);
      return select;
    }
    case "checkboxes":
    case "radio_buttons": {
      const radio = definition.type === "radio_buttons";
      const chosen = radio ? [initialOption] : (definition.initial_options ?? []).map((item) => item.value);
      const name = `${blockId}.${definition.action_id}`;
      return element(
        "div",
        { className: "block-choices", dataset: data(radio ? "radio" : "checkboxes") },
        ...(definition.options ?? []).map((item) => {
          const box = element("input", { type: radio ? "radio" : "checkbox", name, value: item.value });
          box.checked = chosen.includes(item.value);
          return element("label", { className: "block-choice" }, box, renderText(item.text, context.names));
        }),
      );
    }
    case "datepicker":
    case "timepicker": {
      const date = definition.type === "datepicker";
      const control = element("input", {
        className: "block-input",
        type: date ? "date" : "time",
        dataset: data("text"),
      });
      control.value = (date ? definition.initial_date : definition.initial_time) ?? "";
      return control;
    }
    default:
      return element("span", { className: "unsupported", text: `[${definition.type} input]` });
  }
}
