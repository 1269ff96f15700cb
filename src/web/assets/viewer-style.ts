/** The pages' stylesheet (served from /assets/viewer.css). */
export const viewerStyle = `
:root { color-scheme: light dark; --muted: #6b7280; --line: #d1d5db; --ok: #15803d; --bad: #b91c1c; --warn: #b45309; --accent: #1d4ed8; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; padding: 1.5rem; max-width: 72rem; }
header.page { display: flex; justify-content: space-between; align-items: baseline; gap: 1rem; flex-wrap: wrap; }
h1 { font-size: 1.35rem; margin: 0 0 .5rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
h4 { font-size: .85rem; margin: .75rem 0 .25rem; color: var(--muted); }
a { color: var(--accent); }
pre { white-space: pre-wrap; word-break: break-word; background: rgba(127,127,127,.1); padding: .5rem .75rem; border-radius: 4px; margin: 0; max-height: 32rem; overflow: auto; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
ol.timeline { list-style: none; padding: 0; margin: 0; }
li.step { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .75rem; margin: .5rem 0; }
li.step.has-error { border-color: var(--bad); }
.step-head { display: flex; gap: .75rem; flex-wrap: wrap; align-items: baseline; }
.step-title { font-weight: 600; }
.muted { color: var(--muted); }
.badge { display: inline-block; padding: 0 .4rem; border-radius: 3px; font-size: .8rem; border: 1px solid currentColor; }
.badge.ok, .status-completed, .approval-approved { color: var(--ok); }
.badge.bad, .status-failed, .approval-denied { color: var(--bad); }
.badge.warn, .status-stopped, .status-cancelled, .approval-pending, .status-waiting_approval, .status-waiting_input { color: var(--warn); }
button { font: inherit; cursor: pointer; padding: .15rem .6rem; border-radius: 4px; border: 1px solid var(--line); background: transparent; color: inherit; }
.step-body { margin-top: .5rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
form.filters { display: flex; gap: .5rem; flex-wrap: wrap; align-items: end; margin: .5rem 0 1rem; }
form.filters label { display: flex; flex-direction: column; font-size: .8rem; color: var(--muted); }
input, select { font: inherit; padding: .2rem .4rem; }
.error-message { color: var(--bad); }
form.inline { display: inline; }
nav { margin-bottom: 1rem; }
figure.timeline-figure { margin: .5rem 0 1rem; }
.charts { display: flex; gap: 1rem; flex-wrap: wrap; align-items: flex-start; }
.timeline-chart text, .usage-chart text { font: 11px system-ui, sans-serif; fill: currentColor; }
.timeline-chart .axis line { stroke: var(--line); stroke-width: 1; }
.timeline-chart .axis text, .usage-chart .axis-title { fill: var(--muted); }
.bar-model { fill: #2563eb; background: #2563eb; }
.bar-tool { fill: #059669; background: #059669; }
.bar-note { fill: #b91c1c; background: #b91c1c; }
.wait-approval { fill: #f59e0b; background: #f59e0b; }
.wait-retry { fill: #f59e0b; background: repeating-linear-gradient(45deg, #f59e0b 0 3px, transparent 3px 6px); }
rect.wait-retry { fill-opacity: .6; }
.wait-resume { fill: #9ca3af; background: #9ca3af; }
.usage-chart rect.usage { fill: #7c3aed; }
.legend .key { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px; vertical-align: middle; margin-left: .6rem; }
.person { border-bottom: 1px dotted var(--muted); }
`;
