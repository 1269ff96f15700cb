// Limits on a whole sandbox, not on each of its processes: memory and processes of every process a
// run starts together (a cgroup per run), so many processes cannot add up past the limit.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { formatRunResult } from "../../../src/tools/computer/format-result.js";
import type { LocalSandbox } from "../../../src/tools/computer/local-sandbox.js";
import { createTestSandbox, hostProcessesMentioning, run } from "./sandbox-fixture.js";

const mebibyte = 1024 ** 2;

describe("the sandbox's cgroup limits", () => {
  let sandbox: LocalSandbox;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ sandbox, cleanup } = await createTestSandbox({
      limits: { sandboxMemoryBytes: 512 * mebibyte, processes: 64 },
    }));
  });

  afterAll(() => cleanup());

  it("enforces them with a cgroup on this host, and says so", async () => {
    const enforcement = await sandbox.enforcement();
    expect(enforcement.sandbox).toMatch(/^cgroup v[12] per run/);
  });

  it("kills processes that together exceed the sandbox's memory, however many there are", async () => {
    // Six children of 200 MB each, every one well under its own 2 GiB address-space limit. Each holds
    // its block until the parent has heard from all six ("held", or the end of a killed child's
    // output): then every child still alive holds its block at the same moment. They are released
    // together, so a child exits 0 only if it held its block alongside all the others still alive.
    const child = [
      "import sys",
      "block = bytearray(b'x') * (200 * 1024 * 1024)",
      "print('held', flush=True)",
      "sys.stdin.read()",
    ].join("\n");
    const result = await run(
      sandbox,
      "six-processes",
      "python",
      [
        "import subprocess, sys",
        "pipe = subprocess.PIPE",
        `children = [subprocess.Popen([sys.executable, "-c", ${JSON.stringify(child)}], stdin=pipe, stdout=pipe) for _ in range(6)]`,
        "for process in children:",
        "    process.stdout.readline()",
        "for process in children:",
        "    process.stdin.close()",
        "print('exits', ' '.join(str(process.wait()) for process in children))",
      ].join("\n"),
      { timeoutMs: 80_000 },
    );
    const exits = (/^exits (.*)$/m.exec(result.stdout)?.[1] ?? "").split(" ").map(Number);
    expect(exits).toHaveLength(6);
    // At most two 200 MB blocks fit in 512 MB at once: the others were killed by the kernel (SIGKILL).
    expect(exits.filter((code) => code === 0).length).toBeLessThanOrEqual(2);
    expect(exits.filter((code) => code === -9).length).toBeGreaterThanOrEqual(4);
    expect(result.limits?.oomKills).toBeGreaterThanOrEqual(4);
    expect(result.limits?.memoryPeakBytes).toBeLessThanOrEqual(512 * mebibyte);
    expect(formatRunResult(result, 60)).toContain("the sandbox as a whole may use at most 512 MiB");
  }, 90_000);

  it("contains a fork bomb with its own process limit: another task's run still starts and forks", async () => {
    const bomb = new AbortController();
    const bombing = run(
      sandbox,
      "fork-bomb-cgroup",
      "python",
      [
        "import os, time",
        "while True:",
        "    try:",
        "        os.fork()",
        "    except OSError:",
        "        break",
        "if not os.path.exists('/workspace/saturated'):",
        "    count = sum(1 for name in os.listdir('/proc') if name.isdigit())",
        "    open(f'/workspace/count-{os.getpid()}', 'w').write(str(count))",
        "    os.replace(f'/workspace/count-{os.getpid()}', '/workspace/saturated')",
        "time.sleep(120)",
      ].join("\n"),
      { timeoutMs: 150_000, signal: bomb.signal },
    );
    // The workspace is mounted on the host folder while the run lasts: wait for the bomb to hit its limit.
    const saturated = join(sandbox.workspaceDirectory("fork-bomb-cgroup"), "saturated");
    await vi.waitFor(() => expect(existsSync(saturated)).toBe(true), { timeout: 60_000, interval: 50 });

    const neighbour = await run(
      sandbox,
      "fork-bomb-neighbour",
      "shell",
      "for i in 1 2 3 4 5 6 7 8; do /bin/true || exit 1; done; echo forked",
    );
    const processes = Number(await readFile(saturated, "utf8"));
    bomb.abort();
    const bombed = await bombing;

    expect(neighbour).toMatchObject({ exitCode: 0, stdout: "forked\n" });
    expect(processes).toBeGreaterThan(10);
    expect(processes).toBeLessThanOrEqual(64);
    expect(bombed.killed).toBe(true);
    expect(bombed.limits?.processLimitHits).toBeGreaterThan(0);
    expect(await hostProcessesMentioning(sandbox.workspaceDirectory("fork-bomb-cgroup"))).toEqual([]);
  }, 90_000);

  it("holds the whole sandbox to its CPU share", async () => {
    const limited = await createTestSandbox({ limits: { cpuCores: 0.05 } });
    try {
      // Two busy processes for four seconds of wall clock: together at most 0.05 of a core (0.2 s).
      const busy = [
        "import time",
        "wall, cpu = time.monotonic(), time.process_time()",
        "while time.monotonic() - wall < 4:",
        "    pass",
        "print(time.process_time() - cpu)",
      ].join("\n");
      const result = await run(
        limited.sandbox,
        "cpu-share",
        "shell",
        `python3 -c '${busy}' > a & python3 -c '${busy}' > b; wait; cat a b`,
      );
      const seconds = result.stdout.trim().split("\n").map(Number);
      expect(seconds).toHaveLength(2);
      expect(seconds[0]! + seconds[1]!).toBeLessThan(0.05 * 4 + 0.15);
    } finally {
      await limited.cleanup();
    }
  });
});
