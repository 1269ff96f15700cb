/**
 * The pages' only script (served from /assets/viewer.js, so the Content-Security-Policy allows no inline
 * script): buttons with `data-toggle="<id>"` show and hide that element; an element with
 * `data-load="<url>"` fetches its text the first time it is shown and puts it in as text (never HTML).
 */
export const viewerScript = `"use strict";
(function () {
  function setOpen(button, open) {
    var target = document.getElementById(button.getAttribute("data-toggle"));
    if (!target) return;
    target.hidden = !open;
    button.setAttribute("aria-expanded", open ? "true" : "false");
    var label = button.getAttribute(open ? "data-label-open" : "data-label-closed");
    if (label) button.textContent = label;
    if (open) load(target);
  }
  function load(target) {
    var url = target.getAttribute("data-load");
    if (!url || target.getAttribute("data-loaded")) return;
    target.setAttribute("data-loaded", "loading");
    target.textContent = "Loading…";
    fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        return response.text().then(function (text) {
          target.textContent = response.ok ? text : "Could not load (" + response.status + "): " + text;
          target.setAttribute("data-loaded", response.ok ? "done" : "failed");
        });
      })
      .catch(function (error) {
        target.textContent = "Could not load: " + error;
        target.setAttribute("data-loaded", "failed");
      });
  }
  document.addEventListener("click", function (event) {
    var element = event.target instanceof Element ? event.target.closest("button") : null;
    if (!element) return;
    if (element.hasAttribute("data-toggle")) {
      setOpen(element, element.getAttribute("aria-expanded") !== "true");
    } else if (element.hasAttribute("data-toggle-all")) {
      var open = element.getAttribute("data-toggle-all") === "open";
      document.querySelectorAll("button[data-toggle].step-toggle").forEach(function (button) {
        setOpen(button, open);
      });
    }
  });
})();
`;
