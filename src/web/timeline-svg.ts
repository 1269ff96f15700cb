import { html, type SafeHtml } from "./html.js";
import { formatCost, formatCount, formatDuration } from "./layout.js";
import type { RunView, StepView } from "./run-view.js";

/**
 * The run page's pictures, drawn on the server as inline SVG (no script needed): a timeline with one
 * bar per step on the run's time axis (model calls, tool calls, notes), with the time spent waiting
 * for a person (an approval) and waiting between model retries marked on the step's row, so where the
 * time went shows at a glance; and, beside it, a small bar chart of tokens and cost per step. Room is
 * left below the rows for a sub-agent tree once runs have sub-agents.
 */
export interface TimelineBar {
  index: number;
  kind: "model" | "tool" | "note";
  label: string;
  /** Milliseconds since the run started. */
  startMs: number;
  endMs: number;
  /** Parts of the row that were waiting rather than working. */
  waits: Array<{ kind: "approval" | "resume" | "retry"; startMs: number; endMs: number }>;
  tokens: number;
  costUsd: number | undefined;
}

/** A step's bar: it ends when its row was written and lasted its latency; waits come from its approval and retries. */
export function timelineBars(view: Pick<RunView, "run" | "steps">): TimelineBar[] {
  const started = Date.parse(view.run.startedAt ?? view.run.createdAt);
  const since = (iso: string) => Math.max(0, Date.parse(iso) - started);
  return view.steps.map((step): TimelineBar => {
    const endMs = step.offsetMs;
    const waits: TimelineBar["waits"] = [];
    const approval = step.tool?.approval;
    if (approval) {
      waits.push({
        kind: "approval",
        startMs: since(approval.createdAt),
        endMs: approval.decidedAt ? since(approval.decidedAt) : endMs,
      });
      // After the decision the run was parked: the time until the call ran went to the queue.
      const decided = approval.decidedAt ? since(approval.decidedAt) : endMs;
      if (decided < endMs - step.latencyMs) {
        waits.push({ kind: "resume", startMs: decided, endMs: endMs - step.latencyMs });
      }
    }
    for (const retry of step.model?.retries ?? step.note?.retries ?? []) {
      const at = since(retry.at);
      waits.push({ kind: "retry", startMs: at, endMs: at + retry.delayMs });
    }
    const earliest = Math.min(endMs - step.latencyMs, ...waits.map((wait) => wait.startMs));
    return {
      index: step.index,
      kind: step.kind === "model" || step.kind === "tool" ? step.kind : "note",
      label: labelOf(step),
      startMs: Math.max(0, earliest),
      endMs,
      waits,
      tokens: step.tokens.input + step.tokens.output,
      costUsd: step.costUsd,
    };
  });
}

const rowHeight = 22;
const labelWidth = 190;
const axisHeight = 24;

/** The timeline: `width` pixels wide, bar widths proportional to durations on one axis for the whole run. */
export function timelineSvg(
  bars: TimelineBar[],
  options: { width?: number; totalMs?: number } = {},
): SafeHtml {
  const width = options.width ?? 720;
  const plot = width - labelWidth - 10;
  const totalMs = Math.max(1, options.totalMs ?? 0, ...bars.map((bar) => bar.endMs));
  const x = (ms: number) => labelWidth + (Math.min(ms, totalMs) / totalMs) * plot;
  const height = axisHeight + bars.length * rowHeight + 8;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((fraction) => fraction * totalMs);
  return html`<svg class="timeline-chart" data-testid="timeline" role="img" width="${width}" height="${height}"
 viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg" aria-label="Timeline of ${bars.length} steps over ${formatDuration(totalMs)}">
<g class="axis">${ticks.map(
    (tick, position) => html`<line x1="${x(tick)}" x2="${x(tick)}" y1="${axisHeight - 6}" y2="${height}"/>
<text x="${x(tick)}" y="${axisHeight - 10}" text-anchor="${position === 0 ? "start" : position === ticks.length - 1 ? "end" : "middle"}">${formatDuration(tick)}</text>`,
  )}</g>
${bars.map((bar, row) => {
  const y = axisHeight + row * rowHeight;
  const barWidth = Math.max(1, x(bar.endMs) - x(bar.startMs));
  return html`<g class="row">
<text class="label" x="0" y="${y + 15}">${clip(`#${bar.index} ${bar.label}`, 30)}</text>
<rect class="bar bar-${bar.kind}" data-step="${bar.index}" data-duration-ms="${bar.endMs - bar.startMs}" x="${round(x(bar.startMs))}" y="${y + 3}" width="${round(barWidth)}" height="${rowHeight - 6}" rx="2"><title>#${bar.index} ${bar.label}: ${formatDuration(bar.endMs - bar.startMs)}</title></rect>
${bar.waits.map(
  (wait) =>
    html`<rect class="wait wait-${wait.kind}" x="${round(x(wait.startMs))}" y="${y + 3}" width="${round(Math.max(1, x(wait.endMs) - x(wait.startMs)))}" height="${rowHeight - 6}"><title>${waitLabels[wait.kind]}: ${formatDuration(wait.endMs - wait.startMs)}</title></rect>`,
)}
</g>`;
})}
</svg>`;
}

/** Tokens (bars) and cost (in each bar's label) per step, on the same rows as the timeline. */
export function usageChartSvg(bars: TimelineBar[], options: { width?: number } = {}): SafeHtml {
  const width = options.width ?? 240;
  const plot = width - 110;
  const most = Math.max(1, ...bars.map((bar) => bar.tokens));
  const height = axisHeight + bars.length * rowHeight + 8;
  return html`<svg class="usage-chart" data-testid="usage-chart" role="img" width="${width}" height="${height}"
 viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg" aria-label="Tokens and cost per step">
<text class="axis-title" x="0" y="${axisHeight - 10}">tokens · cost</text>
${bars.map((bar, row) => {
  const y = axisHeight + row * rowHeight;
  const barWidth = (bar.tokens / most) * plot;
  return html`<g class="row"><rect class="usage" data-step="${bar.index}" x="0" y="${y + 5}" width="${round(barWidth)}" height="${rowHeight - 10}"><title>#${bar.index}: ${formatCount(bar.tokens)} tokens, ${formatCost(bar.costUsd)}</title></rect>
<text class="label" x="${round(barWidth) + 4}" y="${y + 15}">${bar.tokens ? `${formatCount(bar.tokens)} · ${formatCost(bar.costUsd)}` : ""}</text></g>`;
})}
</svg>`;
}

/** The pictures side by side, with a legend, and the place where the sub-agent tree will go. */
export function timelineFigure(view: Pick<RunView, "run" | "steps">): SafeHtml {
  const bars = timelineBars(view);
  if (bars.length === 0) return html``;
  return html`<figure class="timeline-figure">
<div class="charts">${timelineSvg(bars, { totalMs: view.run.durationMs ?? 0 })}${usageChartSvg(bars)}</div>
<figcaption class="legend muted"><span class="key bar-model"></span> model call <span class="key bar-tool"></span> tool call
<span class="key bar-note"></span> note <span class="key wait-approval"></span> waiting for a person
<span class="key wait-resume"></span> parked, resuming <span class="key wait-retry"></span> waiting to retry</figcaption>
<div class="subagents" data-testid="subagents" hidden></div>
</figure>`;
}

const waitLabels: Record<TimelineBar["waits"][number]["kind"], string> = {
  approval: "waiting for a person",
  resume: "parked, waiting to resume",
  retry: "waiting to retry the model",
};

function labelOf(step: StepView): string {
  if (step.model) return `model ${step.model.model}`;
  if (step.tool) return `tool ${step.tool.name}`;
  return `note ${step.note?.type ?? step.kind}`;
}

function clip(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
