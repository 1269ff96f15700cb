import { renderBlocks } from "./blocks.js";
import { element } from "./text.js";

/** The App Home tab the app published with views.publish, or a note that it has none yet. */
export function renderHome(view, context, appName) {
  if (!view) {
    return element(
      "div",
      { className: "home-empty" },
      element("p", { text: `${appName} has not published a Home tab for you yet.` }),
      element("p", {
        className: "muted",
        text: "It was sent app_home_opened; the tab appears here as soon as it answers.",
      }),
    );
  }
  return element(
    "div",
    { className: "home-view", dataset: { viewId: view.id } },
    renderBlocks(view.definition?.blocks, context),
  );
}
