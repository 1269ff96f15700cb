import { execFileSync } from "node:child_process";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalSandbox } from "../../../src/tools/computer/local-sandbox.js";
import { createTestSandbox, hostProcessesMentioning, run, uniqueNumber } from "./sandbox-fixture.js";

/** The test sandbox's process limit, which the fork bomb test checks from inside. */
const processLimit = 64;

describe("the local sandbox's limits", () => {
  let sandbox: LocalSandbox;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ sandbox, cleanup } = await createTestSandbox({
      limits: { fileBytes: 1024 ** 2, outputBytes: 64 * 1024, processes: processLimit },
    }));
  });

  afterAll(() => cleanup());

  it("kills a run at its deadline and leaves no process behind", async () => {
    const seconds = uniqueNumber();
    const started = Date.now();
    const result = await run(
      sandbox,
      "deadline",
      "shell",
      `echo started; (setsid sleep ${seconds} &); nohup sleep ${seconds + 1} >/dev/null 2>&1 & sleep ${seconds + 2}`,
      { timeoutMs: 1_500 },
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result).toMatchObject({ timedOut: true, killed: true, exitCode: null });
    expect(result.stdout).toContain("started");
    expect(await hostProcessesMentioning(`sleep ${seconds}`)).toEqual([]);
    expect(await hostProcessesMentioning(sandbox.workspaceDirectory("deadline"))).toEqual([]);
  });

  it("takes background processes down when the script exits", async () => {
    const seconds = uniqueNumber();
    const result = await run(sandbox, "background", "shell", `sleep ${seconds} & echo left-behind`);
    expect(result).toMatchObject({ exitCode: 0, timedOut: false, killed: false });
    expect(await hostProcessesMentioning(`sleep ${seconds}`)).toEqual([]);
  });

  it("kills a run within 2 s of an abort", async () => {
    const seconds = uniqueNumber();
    const controller = new AbortController();
    const running = run(
      sandbox,
      "abort",
      "python",
      `import time\nprint("sleeping")\ntime.sleep(${seconds})`,
      {
        timeoutMs: 60_000,
        signal: controller.signal,
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const abortedAt = Date.now();
    controller.abort();
    const result = await running;
    expect(Date.now() - abortedAt).toBeLessThan(2_000);
    expect(result).toMatchObject({ killed: true, timedOut: false, exitCode: null });
    expect(await hostProcessesMentioning(sandbox.workspaceDirectory("abort"))).toEqual([]);
  });

  it("contains a fork bomb: the sandbox never holds more processes than its limit, and the call returns", async () => {
    // Counted from inside, while the bomb runs: the sandbox has its own PID namespace, so /proc lists
    // exactly its processes. Counting and pausing use shell builtins only (no fork needed), the pause
    // being a read with a timeout on a FIFO nobody writes.
    const result = await run(
      sandbox,
      "fork-bomb",
      "shell",
      [
        "mkfifo pause; exec 9<>pause",
        "bomb() { bomb | bomb & }; bomb",
        "most=0",
        "for ((round = 0; round < 30; round++)); do",
        "  count=0; for entry in /proc/[0-9]*; do count=$((count + 1)); done",
        "  if ((count > most)); then most=$count; fi",
        "  read -t 0.1 -u 9",
        "done",
        'echo "most processes: $most"',
      ].join("\n"),
      { timeoutMs: 8_000 },
    );
    expect(result.stderr).toMatch(/Resource temporarily unavailable|Cannot fork/);
    const most = Number(/most processes: (\d+)/.exec(result.stdout)?.[1]);
    // The bomb filled the sandbox (so the limit was what stopped it), and never went past the limit
    // (plus the namespace's init process).
    expect(most).toBeGreaterThanOrEqual(processLimit / 2);
    expect(most).toBeLessThanOrEqual(processLimit + 1);
    expect(await hostProcessesMentioning(sandbox.workspaceDirectory("fork-bomb"))).toEqual([]);
    expect(execFileSync("echo", ["host fine"], { encoding: "utf8" })).toBe("host fine\n");
  });

  it("stops a run that exhausts memory, and the call returns", async () => {
    const result = await run(
      sandbox,
      "memory",
      "python",
      "chunks = []\nwhile True:\n    chunks.append(bytearray(64 * 1024 * 1024))",
    );
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain("MemoryError");
  });

  it("stops a Node run that exhausts memory, and the call returns", async () => {
    const result = await run(
      sandbox,
      "memory",
      "node",
      "const chunks = [];\nfor (;;) chunks.push(Buffer.alloc(64 * 1024 * 1024, 1));",
    );
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/allocation failed|out of memory/i);
  });

  it("stops a run that burns CPU past its CPU-time limit before the deadline", async () => {
    const limited = await createTestSandbox({ limits: { cpuSeconds: 1 } });
    const result = await run(limited.sandbox, "cpu", "python", "while True:\n    pass", {
      timeoutMs: 20_000,
    });
    await limited.cleanup();
    expect(result.timedOut).toBe(false);
    // Ended by SIGXCPU (24) or, past the hard limit, SIGKILL (9): bubblewrap reports 128 + signal.
    expect([128 + 24, 128 + 9]).toContain(result.exitCode);
  });

  it("caps the size of a file a run writes", async () => {
    const result = await run(sandbox, "file-size", "shell", "head -c 10000000 /dev/zero > big; echo $?");
    const written = await stat(join(sandbox.workspaceDirectory("file-size"), "big"));
    expect(written.size).toBeLessThanOrEqual(1024 ** 2);
    expect(result.stdout.trim()).not.toBe("0");
  });

  it("keeps the start and the end of long output", async () => {
    const result = await run(
      sandbox,
      "output",
      "python",
      "print('first line')\nfor i in range(200000):\n    print('filler', i)\nprint('last line')",
    );
    expect(result.exitCode).toBe(0);
    expect(result.stdout.length).toBeLessThan(70 * 1024);
    expect(result.stdout.startsWith("first line\n")).toBe(true);
    expect(result.stdout.trimEnd().endsWith("last line")).toBe(true);
    expect(result.stdout).toMatch(/\[\.\.\. \d+ bytes of output dropped \.\.\.\]/);
  });
});
