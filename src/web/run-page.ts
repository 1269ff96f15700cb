import { html, type SafeHtml } from "./html.js";
import { formatCost, formatCount, formatDuration, formatTime, layout, plural } from "./layout.js";
import type { ApprovalView, RunView, StepView } from "./run-view.js";
import { timelineFigure } from "./timeline-svg.js";

/**
 * One run's page: what was asked, the outcome, totals, then the timeline of steps. Each step's head is
 * always visible (kind, timing, tokens, cost, retries, errors, the approval that gated it); its body
 * (model text, tool arguments and results, the ledger record, artifacts) expands on click. Full tool
 * results and artifacts load on demand from this run's sub-resources, with the same grant as the page.
 */
export function runPage(
  view: RunView,
  options: { grant: string; admin: boolean; names?: ReadonlyMap<string, string> },
): SafeHtml {
  const { run, totals } = view;
  const who = named(options.names ?? new Map());
  const base = `/runs/${encodeURIComponent(run.id)}`;
  const body = html`
<header class="page">
  <h1>Run <code>${run.id}</code></h1>
  <div><button type="button" data-toggle-all="open">Expand all</button>
  <button type="button" data-toggle-all="closed">Collapse all</button></div>
</header>
<section aria-label="Run">
<dl class="facts">
  <dt>Outcome</dt><dd><span class="outcome status-${run.status}" data-testid="outcome">${run.status}</span>${
    run.stopReason ? html` <span class="muted">(${run.stopReason})</span>` : ""
  }</dd>
  <dt>Asked</dt><dd><pre>${run.prompt}</pre></dd>
  <dt>Requester</dt><dd data-testid="requester">${who(run.requesterId)}</dd>
  <dt>Where</dt><dd>channel <span data-testid="channel">${who(run.channel)}</span> · thread ${run.threadTs} · workspace ${run.workspaceId}</dd>
  <dt>Source</dt><dd>${run.source}${run.scheduleId ? html` · schedule <code>${run.scheduleId}</code>` : ""}</dd>
  <dt>Started</dt><dd>${formatTime(run.startedAt ?? run.createdAt)}</dd>
  <dt>Ended</dt><dd>${formatTime(run.endedAt)} · wall-clock ${formatDuration(run.durationMs)}</dd>
  <dt>Totals</dt><dd data-testid="totals">${plural(totals.steps, "step")} · ${formatCount(totals.inputTokens)} input
    (${formatCount(totals.cachedTokens)} cached) / ${formatCount(totals.outputTokens)} output tokens ·
    ${formatCost(totals.costUsd)} · step time ${formatDuration(totals.stepTimeMs)} ·
    ${totals.retries} model ${totals.retries === 1 ? "retry" : "retries"} · ${plural(totals.toolErrors, "tool error")}</dd>
</dl>
</section>
<h2>Timeline</h2>
${timelineFigure(view)}
<ol class="timeline">${view.steps.map((step) => stepItem(step, base, options.grant, who))}</ol>
${view.steps.length === 0 ? html`<p class="muted">No steps yet.</p>` : ""}
<h2>Approvals</h2>
${
  view.approvals.length
    ? html`<table><thead><tr><th>Tool</th><th>Call</th><th>Decision</th><th>By</th><th>Asked</th><th>Decided</th><th>Waited</th><th>Reason</th></tr></thead>
<tbody>${view.approvals.map(
        (
          approval,
        ) => html`<tr data-testid="approval-row"><td>${approval.tool}</td><td><code>${approval.callId}</code></td>
<td class="approval-${approval.status}">${approval.status}</td><td>${approval.decidedBy ? who(approval.decidedBy) : "—"}</td>
<td>${formatTime(approval.createdAt)}</td><td>${formatTime(approval.decidedAt)}</td>
<td>${formatDuration(approval.waitedMs)}</td><td>${approval.reason ?? ""}</td></tr>`,
      )}</tbody></table>`
    : html`<p class="muted">No approvals were needed.</p>`
}
<h2>Artifacts</h2>
${
  view.artifacts.length
    ? html`<ul>${view.artifacts.map((artifact) => {
        const id = `artifact-${artifact.handle}`;
        return html`<li><code>${artifact.handle}</code> · ${artifact.name} · ${artifact.mediaType} · ${formatCount(artifact.size)} characters
<button type="button" data-toggle="${id}" aria-expanded="false" data-label-open="Hide" data-label-closed="Show">Show</button>
<pre id="${id}" hidden data-load="${base}/artifacts/${encodeURIComponent(artifact.handle)}${options.grant}"></pre></li>`;
      })}</ul>`
    : html`<p class="muted">No large outputs were stored.</p>`
}`;
  return layout(`Run ${run.id.slice(0, 8)}`, body, { admin: options.admin });
}

type Who = (id: string) => SafeHtml;

/** A person or channel by name, with the id on hover. */
function named(names: ReadonlyMap<string, string>): Who {
  return (id) => {
    const name = names.get(id);
    return name && name !== id ? html`<span class="person" title="${id}">${name}</span>` : html`${id}`;
  };
}

function stepItem(step: StepView, base: string, grant: string, who: Who): SafeHtml {
  const bodyId = `step-${step.index}-body`;
  const failed = step.tool?.isError || step.kind === "note" || (step.model?.retries.length ?? 0) > 0;
  return html`<li class="step step-${step.kind}${failed ? " has-error" : ""}" id="step-${step.index}" data-testid="step">
<div class="step-head">
  <span class="step-title">#${step.index} ${title(step)}</span>
  <span class="muted">+${formatDuration(step.offsetMs)} · took ${formatDuration(step.latencyMs)}</span>
  ${
    step.kind === "model"
      ? html`<span class="muted">${formatCount(step.tokens.input)} in (${formatCount(step.tokens.cached)} cached) / ${formatCount(step.tokens.output)} out · ${formatCost(step.costUsd)}</span>`
      : ""
  }
  ${retryBadge(step)}
  ${step.tool ? (step.tool.isError ? html`<span class="badge bad">error</span>` : html`<span class="badge ok">ok</span>`) : ""}
  ${step.tool?.approval ? approvalLine(step.tool.approval, who) : ""}
  <button type="button" class="step-toggle" data-toggle="${bodyId}" aria-expanded="false" aria-controls="${bodyId}"
    data-label-open="Hide details" data-label-closed="Show details">Show details</button>
</div>
<div class="step-body" id="${bodyId}" hidden>${stepBody(step, base, grant, who)}</div>
</li>`;
}

function title(step: StepView): string {
  if (step.model) {
    const calls = step.model.toolCalls.map((call) => call.name).join(", ");
    return `model turn · ${step.model.model}${calls ? ` → ${calls}` : " → answer"}`;
  }
  if (step.tool) return `tool call · ${step.tool.name}`;
  return `note · ${step.note?.type ?? step.kind}`;
}

function retryBadge(step: StepView): SafeHtml | string {
  const retries = step.model?.retries ?? step.note?.retries ?? [];
  if (retries.length === 0) return "";
  const statuses = retries.map((retry) => retry.status ?? "no answer").join(", ");
  return html`<span class="badge warn" data-testid="retries">retried ${retries.length}× (${statuses})</span>`;
}

function approvalLine(approval: ApprovalView, who: Who): SafeHtml {
  const decided =
    approval.status === "pending"
      ? html`waiting for approval since ${formatTime(approval.createdAt)}`
      : html`${approval.status} by ${approval.decidedBy ? who(approval.decidedBy) : "—"} at ${formatTime(approval.decidedAt)}`;
  return html`<span class="approval approval-${approval.status}" data-testid="approval">${decided}</span>`;
}

function stepBody(step: StepView, base: string, grant: string, who: Who): SafeHtml {
  const parts: SafeHtml[] = [];
  const retries = step.model?.retries ?? step.note?.retries ?? [];
  if (step.model) {
    parts.push(html`<h4>Model output</h4><pre>${step.model.text || "(no text)"}</pre>
<p class="muted">finish reason: ${step.model.finishReason || "—"}</p>`);
    for (const call of step.model.toolCalls) {
      parts.push(html`<h4>Requested ${call.name} <code>${call.id}</code></h4><pre>${call.arguments}</pre>`);
    }
  }
  if (step.tool) {
    const tool = step.tool;
    parts.push(html`<h4>Arguments · call <code>${tool.callId}</code></h4><pre data-testid="tool-arguments">${tool.arguments}</pre>
<h4>Result shown to the model</h4><pre data-testid="tool-result">${tool.content}</pre>`);
    if (tool.ledger) {
      const id = `ledger-${tool.ledger.id}`;
      parts.push(html`<h4>Ledger</h4><p>${tool.ledger.status} · started ${formatTime(tool.ledger.startedAt)} · finished ${formatTime(tool.ledger.finishedAt)}
<button type="button" data-toggle="${id}" aria-expanded="false" data-label-open="Hide full result" data-label-closed="Show full result">Show full result</button></p>
<pre id="${id}" hidden data-load="${base}/tool-calls/${encodeURIComponent(tool.ledger.id)}${grant}"></pre>`);
    } else {
      parts.push(
        html`<p class="muted">Not in the ledger: the call never ran (invalid input, unknown tool or denied).</p>`,
      );
    }
    if (tool.approval) {
      const approval = tool.approval;
      parts.push(html`<h4>Approval</h4><p>${approval.status}${approval.decidedBy ? html` by ${who(approval.decidedBy)}` : ""} ·
asked ${formatTime(approval.createdAt)} · decided ${formatTime(approval.decidedAt)} · waited ${formatDuration(approval.waitedMs)}
${approval.reason ? html` · reason: ${approval.reason}` : ""}</p>`);
    }
    for (const handle of tool.artifactHandles) {
      const id = `step-${step.index}-${handle}`;
      parts.push(html`<h4>Artifact <code>${handle}</code></h4>
<button type="button" data-toggle="${id}" aria-expanded="false" data-label-open="Hide" data-label-closed="Show whole output">Show whole output</button>
<pre id="${id}" hidden data-load="${base}/artifacts/${encodeURIComponent(handle)}${grant}"></pre>`);
    }
  }
  if (step.note) parts.push(html`<h4>${step.note.type}</h4><pre>${step.note.text}</pre>`);
  if (retries.length) {
    parts.push(html`<h4>Retries</h4><table><thead><tr><th>Attempt</th><th>Model</th><th>Status</th><th>Waited</th><th>When</th><th>Error</th></tr></thead>
<tbody>${retries.map(
      (
        retry,
      ) => html`<tr data-testid="retry-row"><td>${retry.attempt}</td><td>${retry.model}</td><td>${retry.status ?? "no answer"}</td>
<td>${formatDuration(retry.delayMs)}</td><td>${formatTime(retry.at)}</td><td>${retry.error}</td></tr>`,
    )}</tbody></table>`);
  }
  return html`${parts}`;
}
