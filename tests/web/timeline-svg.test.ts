import { describe, expect, it } from "vitest";
import type { RunView, StepView } from "../../src/web/run-view.js";
import { timelineBars, timelineSvg, usageChartSvg } from "../../src/web/timeline-svg.js";

/**
 * The run page's timeline picture: one bar per step, placed on the run's time axis with widths
 * proportional to how long each step took, approval and retry waits marked, and labels escaped.
 */
const startedAt = "2026-12-06T10:00:00.000Z";
const at = (offsetMs: number) => new Date(Date.parse(startedAt) + offsetMs).toISOString();

function step(
  index: number,
  kind: string,
  endMs: number,
  latencyMs: number,
  extra: Partial<StepView> = {},
): StepView {
  return {
    index,
    kind,
    at: at(endMs),
    offsetMs: endMs,
    latencyMs,
    tokens: { input: 0, output: 0, cached: 0 },
    costUsd: undefined,
    ...extra,
  };
}

const model = (name: string): NonNullable<StepView["model"]> => ({
  model: name,
  text: "",
  finishReason: "stop",
  toolCalls: [],
  retries: [],
});

function runOf(steps: StepView[]): Pick<RunView, "run" | "steps"> {
  return { run: { startedAt, createdAt: startedAt, durationMs: null } as RunView["run"], steps };
}

/** The bars' rectangles as drawn: step, x and width. */
function rects(svg: string): Array<{ step: number; x: number; width: number }> {
  return [
    ...svg.matchAll(/<rect class="bar [^"]*" data-step="(\d+)"[^>]* x="([\d.]+)"[^>]* width="([\d.]+)"/g),
  ].map((match) => ({ step: Number(match[1]), x: Number(match[2]), width: Number(match[3]) }));
}

describe("the timeline picture", () => {
  const steps = [
    step(1, "model", 1_000, 1_000, {
      model: model("m"),
      tokens: { input: 300, output: 100, cached: 0 },
      costUsd: 0.002,
    }),
    step(2, "tool", 4_000, 3_000, {
      tool: {
        name: "lookup",
        callId: "c1",
        arguments: "{}",
        isError: false,
        content: "",
        artifactHandles: [],
      },
    }),
    step(3, "model", 6_000, 2_000, { model: model("m"), tokens: { input: 100, output: 100, cached: 0 } }),
  ];

  it("draws one bar per step, widths proportional to their durations, on one axis", () => {
    const svg = timelineSvg(timelineBars(runOf(steps)), { width: 800 }).value;
    const bars = rects(svg);
    expect(bars.map((bar) => bar.step)).toEqual([1, 2, 3]);
    const [first, second, third] = bars as [(typeof bars)[0], (typeof bars)[0], (typeof bars)[0]];
    expect(second.width / first.width).toBeCloseTo(3, 1);
    expect(third.width / first.width).toBeCloseTo(2, 1);
    // Consecutive steps touch: each starts where the one before ended.
    expect(second.x).toBeCloseTo(first.x + first.width, 0);
    expect(third.x).toBeCloseTo(second.x + second.width, 0);
    // The whole run spans the plot: 6 s over 800 - 190 - 10 = 600 px.
    expect(first.width + second.width + third.width).toBeCloseTo(600, 0);
  });

  it("marks the time spent waiting for a person and between model retries", () => {
    const waited = [
      step(1, "model", 3_000, 3_000, {
        model: {
          ...model("m"),
          retries: [
            { model: "m", attempt: 1, status: 429, delayMs: 2_000, error: "rate limited", at: at(500) },
          ],
        },
      }),
      step(2, "tool", 12_000, 500, {
        tool: {
          name: "send",
          callId: "c2",
          arguments: "{}",
          isError: false,
          content: "",
          artifactHandles: [],
          approval: {
            id: "a",
            tool: "send",
            callId: "c2",
            status: "approved",
            approvers: [],
            decidedBy: "U1",
            decidedAt: at(9_500),
            reason: null,
            createdAt: at(3_500),
            waitedMs: 6_000,
          },
        },
      }),
    ];
    const bars = timelineBars(runOf(waited));
    expect(bars[0]?.waits).toEqual([{ kind: "retry", startMs: 500, endMs: 2_500 }]);
    // Approved at 9.5 s, the call ran from 11.5 s: the run was parked in between.
    expect(bars[1]?.waits).toEqual([
      { kind: "approval", startMs: 3_500, endMs: 9_500 },
      { kind: "resume", startMs: 9_500, endMs: 11_500 },
    ]);
    // The tool step's bar covers the wait for approval, not only the call's own 500 ms.
    expect(bars[1]?.startMs).toBe(3_500);
    const svg = timelineSvg(bars).value;
    expect(svg.match(/class="wait wait-approval"/g)).toHaveLength(1);
    expect(svg.match(/class="wait wait-retry"/g)).toHaveLength(1);
    expect(svg.match(/class="wait wait-resume"/g)).toHaveLength(1);
    expect(rects(svg)).toHaveLength(2);
  });

  it("escapes what it labels", () => {
    const hostile = [
      step(1, "tool", 1_000, 1_000, {
        tool: {
          name: '<script>alert("x")</script>',
          callId: "c",
          arguments: "{}",
          isError: false,
          content: "",
          artifactHandles: [],
        },
      }),
    ];
    const svg = timelineSvg(timelineBars(runOf(hostile))).value;
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("&lt;script&gt;");
  });

  it("charts tokens per step, bar lengths proportional", () => {
    const svg = usageChartSvg(timelineBars(runOf(steps)), { width: 310 }).value;
    const widths = [...svg.matchAll(/<rect class="usage" data-step="(\d+)"[^>]* width="([\d.]+)"/g)].map(
      (match) => Number(match[2]),
    );
    expect(widths).toEqual([200, 0, 100]);
    expect(svg).toContain("400 · $0.0020");
  });
});
