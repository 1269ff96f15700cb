import { activeRunStatuses, endedRunStatuses } from "../runs/run-statuses.js";
import { html, type SafeHtml } from "./html.js";
import { formatCost, formatCount, formatTime, layout } from "./layout.js";
import type { RunFilter, RunRow } from "./run-list.js";

/** The admin's list of runs with its filter form (a GET form: filters live in the address). */
export function runListPage(
  filter: RunFilter,
  result: { rows: RunRow[]; more: boolean; workspaces: Array<{ id: string; name: string }> },
): SafeHtml {
  const states = [...activeRunStatuses, ...endedRunStatuses];
  const pageLink = (page: number) => {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(filter))
      if (key !== "page" && value) query.set(key, String(value));
    query.set("page", String(page));
    return `/runs?${query}`;
  };
  const body = html`
<h1>Runs</h1>
<form class="filters" method="get" action="/runs">
  <label>State <select name="state"><option value="">any</option>${states.map(
    (state) =>
      html`<option value="${state}"${filter.state === state ? html` selected` : ""}>${state}</option>`,
  )}</select></label>
  <label>Workspace <select name="workspace"><option value="">any</option>${result.workspaces.map(
    (workspace) =>
      html`<option value="${workspace.id}"${filter.workspace === workspace.id ? html` selected` : ""}>${workspace.name ? `${workspace.name} (${workspace.id})` : workspace.id}</option>`,
  )}</select></label>
  <label>User <input name="user" value="${filter.user ?? ""}" placeholder="U0123…"></label>
  <label>Schedule <input name="schedule" value="${filter.schedule ?? ""}" placeholder="id, or any"></label>
  <button type="submit">Filter</button> <a href="/runs">Clear</a>
</form>
<table>
<thead><tr><th>Created</th><th>Run</th><th>State</th><th>Workspace</th><th>User</th><th>Schedule</th><th>Steps</th><th>Tokens</th><th>Cost</th><th>Asked</th></tr></thead>
<tbody>${result.rows.map(
    (run) => html`<tr data-testid="run-row">
<td>${formatTime(run.createdAt)}</td>
<td><a href="/runs/${encodeURIComponent(run.id)}"><code>${run.id.slice(0, 8)}</code></a></td>
<td class="status-${run.status}">${run.status}${run.stopReason ? html` <span class="muted">(${run.stopReason})</span>` : ""}</td>
<td>${run.workspaceId}</td><td>${run.requesterId}</td><td>${run.scheduleId ? run.scheduleId.slice(0, 8) : "—"}</td>
<td>${run.stepCount}</td><td>${formatCount(run.tokens)}</td><td>${formatCost(run.costUsd)}</td>
<td>${run.prompt.length > 120 ? `${run.prompt.slice(0, 120)}…` : run.prompt}</td></tr>`,
  )}</tbody>
</table>
${result.rows.length === 0 ? html`<p class="muted">No runs match.</p>` : ""}
<p>${filter.page > 1 ? html`<a href="${pageLink(filter.page - 1)}">Newer</a> ` : ""}${
    result.more ? html`<a href="${pageLink(filter.page + 1)}">Older</a>` : ""
  }</p>`;
  return layout("Runs", body, { admin: true });
}
