import { describe, expect, it } from "vitest";
import { type ComparedRun, compareRuns } from "../../src/replay/compare.js";

/** The comparison on its own: each way a replay can differ from its recording. */
const model = (index: number, toolCalls: unknown[] = []) => ({
  index,
  kind: "model",
  data: {
    model: "m",
    text: "",
    toolCalls,
    finishReason: toolCalls.length ? "tool_calls" : "stop",
    retries: [],
  },
});
const tool = (index: number, name: string, args: string, content = "ok", isError = false) => ({
  index,
  kind: "tool",
  data: { tool: name, callId: `call_${index}`, arguments: args, content, isError },
});

const recorded: ComparedRun = {
  status: "completed",
  stopReason: null,
  steps: [model(1), tool(2, "lookup", '{"city":"Oslo","units":"c"}'), model(3)],
  approvals: [],
};

describe("comparing a replay with its recording", () => {
  it("finds nothing when only timing, retries and key order differ", () => {
    const replayed: ComparedRun = {
      ...recorded,
      steps: [
        { ...model(1), data: { ...model(1).data, retries: [{ attempt: 1 }], costMicros: 5 } },
        tool(2, "lookup", '{ "units": "c", "city": "Oslo" }'),
        model(3),
      ],
    };
    expect(compareRuns(recorded, replayed)).toEqual([]);
  });

  it("reports another tool, other arguments, another result", () => {
    expect(
      compareRuns(recorded, { ...recorded, steps: [model(1), tool(2, "search", "{}"), model(3)] }),
    ).toEqual([expect.objectContaining({ kind: "tool", step: 2, recorded: "lookup", replayed: "search" })]);
    expect(
      compareRuns(recorded, {
        ...recorded,
        steps: [model(1), tool(2, "lookup", '{"city":"Bergen","units":"c"}'), model(3)],
      }),
    ).toEqual([expect.objectContaining({ kind: "arguments", step: 2 })]);
    const changed = compareRuns(recorded, {
      ...recorded,
      steps: [
        model(1),
        tool(2, "lookup", '{"city":"Oslo","units":"c"}', "lookup failed: down", true),
        model(3),
      ],
    });
    expect(changed).toEqual([
      expect.objectContaining({
        kind: "tool_result",
        step: 2,
        recorded: "ok",
        replayed: "lookup failed: down",
      }),
    ]);
    expect(changed[0]!.message).toContain("an error instead of a result");
  });

  it("reports a different number of steps, kinds, approvals and outcome", () => {
    const shorter = compareRuns(recorded, {
      status: "stopped",
      stopReason: "loop_detected",
      steps: [model(1), tool(2, "lookup", '{"city":"Oslo","units":"c"}')],
      approvals: ["lookup call_2"],
    });
    expect(shorter.map((divergence) => divergence.kind)).toEqual(["step_count", "approval", "outcome"]);
    expect(shorter[0]).toMatchObject({ step: 3, recorded: 3, replayed: 2 });
    expect(shorter[2]!.message).toBe("The recording ended completed, the replay stopped (loop_detected).");
    expect(compareRuns(recorded, { ...recorded, steps: [model(1), model(2), model(3)] })).toEqual([
      expect.objectContaining({ kind: "step_kind", step: 2 }),
    ]);
  });
});
