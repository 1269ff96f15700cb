import { html, type SafeHtml } from "./html.js";

/** The shell of every page: title, stylesheet and the one script (no inline code: see http.ts's CSP). */
export function layout(title: string, body: SafeHtml, options: { admin?: boolean } = {}): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title} · coworker</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/viewer.css">
<script src="/assets/viewer.js" defer></script>
</head>
<body>
${
  options.admin
    ? html`<nav class="muted"><a href="/runs">Runs</a> · <a href="/admin/queues">Queues</a> ·
<form method="post" action="/admin/logout" class="inline"><button type="submit">Sign out</button></form></nav>`
    : ""
}
${body}
</body>
</html>`;
}

export function formatDuration(milliseconds: number | null | undefined): string {
  if (milliseconds === null || milliseconds === undefined) return "—";
  if (milliseconds < 1000) return `${Math.round(milliseconds)} ms`;
  const seconds = milliseconds / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${Math.round(seconds % 60)}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

export function formatCount(value: number): string {
  return value.toLocaleString("en-US");
}

export function formatCost(usd: number | undefined): string {
  if (usd === undefined) return "—";
  return `$${usd < 0.01 && usd > 0 ? usd.toFixed(6) : usd.toFixed(4)}`;
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  return `${iso
    .replace("T", " ")
    .replace(/\.\d+Z$/, "")
    .replace(/Z$/, "")} UTC`;
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}
