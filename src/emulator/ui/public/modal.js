import { renderBlocks } from "./blocks.js";
import { element, plainWords } from "./text.js";

/**
 * The person's top open modal (views.open / push / update) as a dialog: its blocks with input
 * controls, and Submit / Close buttons that send `view_submission` / close it (with `view_closed`
 * when the view asked for it). Errors the app returned are shown under their inputs.
 */
export function renderModal(view, context, { submit, close }) {
  const definition = view.definition ?? {};
  const form = element("form", { className: "modal-form", method: "dialog" });
  const closeLabel = plainWords(definition.close) || "Cancel";
  const submitLabel = plainWords(definition.submit);
  const busy = (on) => {
    for (const button of form.querySelectorAll("footer button")) button.disabled = on;
  };
  const closeButton = element("button", {
    type: "button",
    className: "block-button",
    text: closeLabel,
    onclick: () => close(view),
  });
  form.append(
    element(
      "header",
      { className: "modal-header" },
      element("h2", { text: plainWords(definition.title) }),
      element("button", {
        type: "button",
        className: "icon-button",
        "aria-label": "Close",
        text: "×",
        onclick: () => close(view),
      }),
    ),
    element(
      "div",
      { className: "modal-body" },
      renderBlocks(definition.blocks, { ...context, state: view.stateValues, errors: view.errors }),
    ),
    element(
      "footer",
      { className: "modal-footer" },
      closeButton,
      submitLabel
        ? element("button", { type: "submit", className: "block-button primary", text: submitLabel })
        : undefined,
    ),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    busy(true);
    try {
      await submit(view, readValues(form));
    } finally {
      busy(false);
    }
  });
  const dialog = element("dialog", { className: "modal", dataset: { viewId: view.id } }, form);
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    close(view);
  });
  return dialog;
}

/** What was typed or picked, by block_id then action_id, as the emulator's submitView takes it. */
export function readValues(form) {
  const values = {};
  for (const control of form.querySelectorAll("[data-kind]")) {
    const { blockId, actionId, kind } = control.dataset;
    let value;
    if (kind === "multi") value = [...control.selectedOptions].map((option) => option.value);
    else if (kind === "checkboxes")
      value = [...control.querySelectorAll("input:checked")].map((box) => box.value);
    else if (kind === "radio") value = control.querySelector("input:checked")?.value;
    else value = control.value === "" ? undefined : control.value;
    if (value === undefined || !blockId) continue;
    values[blockId] = { ...values[blockId], [actionId]: value };
  }
  return values;
}
