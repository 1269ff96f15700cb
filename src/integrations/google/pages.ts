/** The small HTML pages a person sees in the browser during the connect flow. */
export function page(
  title: string,
  message: string,
  form?: { action: string; fields: Record<string, string>; button: string },
): string {
  const action = form
    ? [
        `<form method="post" action="${escapeHtml(form.action)}">`,
        ...Object.entries(form.fields).map(
          ([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
        ),
        `<button type="submit">${escapeHtml(form.button)}</button></form>`,
      ].join("")
    : "";
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    `<title>${escapeHtml(title)}</title>`,
    "<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5}</style>",
    `</head><body><h1>${escapeHtml(title)}</h1>`,
    ...message.split("\n\n").map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    action,
    "</body></html>",
  ].join("");
}

function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}
