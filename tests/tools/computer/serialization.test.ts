// Runs of one task share its workspace, so they take turns; the timestamps come from the programs.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { LocalSandbox } from "../../../src/tools/computer/local-sandbox.js";
import { createTestSandbox, hostProcessesMentioning, run } from "./sandbox-fixture.js";

/** Appends "<name> start <ns>", holds the workspace a while (1 s by default), then "<name> end <ns>". */
function stamp(name: string, seconds = 1): string {
  return `echo "${name} start $(date +%s%N)" >> log; sleep ${seconds}; echo "${name} end $(date +%s%N)" >> log`;
}

function parse(log: string): { name: string; event: string; at: bigint }[] {
  return log
    .trim()
    .split("\n")
    .map((line) => {
      const [name = "", event = "", at = "0"] = line.split(" ");
      return { name, event, at: BigInt(at) };
    });
}

describe("runs of the same task", () => {
  let sandbox: LocalSandbox;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ sandbox, cleanup } = await createTestSandbox());
  });

  afterAll(() => cleanup());

  it("take turns: one ends before the other starts", async () => {
    const results = await Promise.all([
      run(sandbox, "turns", "shell", stamp("first")),
      run(sandbox, "turns", "shell", stamp("second")),
    ]);
    expect(results.map((result) => result.exitCode)).toEqual([0, 0]);
    const log = parse((await run(sandbox, "turns", "shell", "cat log")).stdout);
    expect(log.map((entry) => entry.event)).toEqual(["start", "end", "start", "end"]);
    const [firstStart, firstEnd, secondStart, secondEnd] = log;
    expect(firstEnd?.name).toBe(firstStart?.name);
    expect(secondEnd?.name).toBe(secondStart?.name);
    expect(secondStart!.at).toBeGreaterThanOrEqual(firstEnd!.at);
  });

  it("a run waiting for its turn can be aborted without ever running", async () => {
    // Each run's lock is held (or waited for) by an `flock` process naming the task's lock file.
    const lockHolders = () => hostProcessesMentioning(`${sandbox.workspaceDirectory("abort-waiting")}.lock`);
    const holding = run(sandbox, "abort-waiting", "shell", stamp("holder", 5));
    await vi.waitFor(async () => expect(await lockHolders()).toHaveLength(1), {
      timeout: 20_000,
      interval: 20,
    });
    const controller = new AbortController();
    const waiting = run(sandbox, "abort-waiting", "shell", stamp("waiter"), { signal: controller.signal });
    await vi.waitFor(async () => expect(await lockHolders()).toHaveLength(2), {
      timeout: 20_000,
      interval: 20,
    });
    controller.abort();
    expect(await waiting).toMatchObject({ killed: true, exitCode: null });
    await holding;
    const log = (await run(sandbox, "abort-waiting", "shell", "cat log")).stdout;
    expect(log).toContain("holder end");
    expect(log).not.toContain("waiter");
  });
});
