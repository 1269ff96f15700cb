import { image, inputControl, interactiveElement } from "./elements.js";
import { markdownFragment } from "./markdown.js";
import { renderRichText } from "./rich-text.js";
import { element, plainWords, renderText } from "./text.js";

/**
 * Block Kit layout blocks as a Slack client draws them. `context` gives `names` (user and channel
 * names for mentions), `users` and `conversations` (for selects), `act` (operate an element), and in
 * modals `state` (last values, by block then action) and `errors` (by block).
 */
export function renderBlocks(blocks, context) {
  return element(
    "div",
    { className: "blocks" },
    ...(blocks ?? []).map((block) => renderBlock(block, context)),
  );
}

function renderBlock(block, context) {
  const { names } = context;
  const node = (() => {
    switch (block.type) {
      case "section":
        return section(block, context);
      case "context":
        return element(
          "div",
          { className: "block-context" },
          ...(block.elements ?? []).map((item) =>
            item.type === "image"
              ? image(item.image_url, item.alt_text, "context-image")
              : renderText(item, names),
          ),
        );
      case "divider":
        return element("hr", { className: "block-divider" });
      case "header":
        return element("h3", { className: "block-header", text: plainWords(block.text) });
      case "actions":
        return element(
          "div",
          { className: "block-actions" },
          ...(block.elements ?? []).map((item) => interactiveElement(item, block.block_id, context)),
        );
      case "image":
        return element(
          "figure",
          { className: "block-figure" },
          block.title ? element("figcaption", { text: plainWords(block.title) }) : undefined,
          image(block.image_url, block.alt_text),
        );
      case "rich_text":
        return renderRichText(block, names);
      case "markdown":
        return element("div", { className: "block-markdown markdown" }, markdownFragment(block.text));
      case "input":
        return input(block, context);
      default:
        return element("div", { className: "unsupported", text: `[${block.type} block]` });
    }
  })();
  node.dataset.blockType = block.type;
  if (block.block_id) node.dataset.blockId = block.block_id;
  return node;
}

function section(block, context) {
  const body = element(
    "div",
    { className: "section-body" },
    block.text ? renderText(block.text, context.names, "div") : undefined,
    block.fields?.length
      ? element(
          "div",
          { className: "section-fields" },
          ...block.fields.map((field) => renderText(field, context.names, "div")),
        )
      : undefined,
  );
  const accessory = block.accessory
    ? element(
        "div",
        { className: "section-accessory" },
        interactiveElement(block.accessory, block.block_id, context),
      )
    : undefined;
  return element("div", { className: "block-section" }, body, accessory);
}

function input(block, context) {
  const blockId = block.block_id ?? "";
  const definition = block.element ?? {};
  const state = context.state?.[blockId]?.[definition.action_id] ?? {};
  const error = context.errors?.[blockId];
  const optional = block.optional
    ? element("span", { className: "optional", text: " (optional)" })
    : undefined;
  return element(
    "div",
    { className: `block-input-group${error ? " has-error" : ""}` },
    element("span", { className: "input-label" }, plainWords(block.label), optional),
    inputControl(definition, blockId, context, state),
    block.hint ? element("span", { className: "input-hint", text: plainWords(block.hint) }) : undefined,
    error ? element("span", { className: "input-error", role: "alert", text: error }) : undefined,
  );
}
