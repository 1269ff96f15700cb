import { element, plainWords, renderText } from "./text.js";

/**
 * Block Kit `confirm` objects ("Are you sure?") as a native <dialog>: resolves true when the person
 * confirms, false when they cancel or press Escape.
 */
export function confirmAction(confirm, names) {
  return new Promise((resolve) => {
    const confirmButton = element("button", {
      className: `block-button ${confirm.style === "danger" ? "danger" : "primary"}`,
      value: "confirm",
      text: plainWords(confirm.confirm) || "Yes",
    });
    const denyButton = element("button", {
      className: "block-button",
      value: "deny",
      text: plainWords(confirm.deny) || "Cancel",
    });
    const dialog = element(
      "dialog",
      { className: "confirm-dialog", "aria-label": plainWords(confirm.title) || "Confirm" },
      element("h2", { text: plainWords(confirm.title) || "Are you sure?" }),
      renderText(confirm.text, names, "div"),
      element("div", { className: "dialog-buttons" }, denyButton, confirmButton),
    );
    let answer = false;
    confirmButton.addEventListener("click", () => {
      answer = true;
      dialog.close();
    });
    denyButton.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** A short message at the bottom of the screen (errors, "the app did not answer"). */
export function toast(text, kind = "info") {
  const note = element("div", { className: `toast ${kind}`, role: "status", text });
  document.body.append(note);
  setTimeout(() => note.remove(), 6000);
}
