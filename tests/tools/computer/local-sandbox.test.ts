import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isCodedError } from "../../../src/errors.js";
import { LocalSandbox } from "../../../src/tools/computer/local-sandbox.js";
import { createTestSandbox, run } from "./sandbox-fixture.js";

describe("LocalSandbox", () => {
  let sandbox: LocalSandbox;
  let root: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ sandbox, root, cleanup } = await createTestSandbox());
  });

  afterAll(() => cleanup());

  it("is available here with every language", async () => {
    expect(await sandbox.available()).toEqual({
      ok: true,
      languages: ["shell", "python", "node"],
      unavailable: [],
      enforcement: { sandbox: expect.any(String), disk: expect.any(String) },
    });
  });

  it("runs shell, python3 and node", async () => {
    const shell = await run(sandbox, "languages", "shell", "echo $((6 * 7)) from $0; echo oops >&2; exit 3");
    expect(shell).toMatchObject({ exitCode: 3, stdout: "42 from /sandbox/main.sh\n", stderr: "oops\n" });

    const python = await run(
      sandbox,
      "languages",
      "python",
      "import sys\nprint(sys.version_info[0], sum(range(10)))",
    );
    expect(python).toMatchObject({ exitCode: 0, stdout: "3 45\n", stderr: "" });

    const node = await run(
      sandbox,
      "languages",
      "node",
      "console.log(process.version, require('node:os').hostname())",
    );
    expect(node).toMatchObject({ exitCode: 0, stdout: `${process.version} sandbox\n`, stderr: "" });
  });

  it("keeps a task's files from one step to the next and lists what changed", async () => {
    const first = await run(
      sandbox,
      "steps",
      "python",
      "import os\nos.makedirs('data')\nopen('data/n.txt', 'w').write('41')",
    );
    expect(first.files).toEqual([
      { path: "data", kind: "directory", bytes: 0, changed: true },
      { path: "data/n.txt", kind: "file", bytes: 2, changed: true },
    ]);

    const second = await run(
      sandbox,
      "steps",
      "node",
      "const fs = require('fs'); const n = Number(fs.readFileSync('data/n.txt', 'utf8')); fs.writeFileSync('answer.txt', String(n + 1)); console.log(n + 1);",
    );
    expect(second.stdout).toBe("42\n");
    expect(second.files).toEqual([
      { path: "answer.txt", kind: "file", bytes: 2, changed: true },
      { path: "data", kind: "directory", bytes: 0, changed: false },
      { path: "data/n.txt", kind: "file", bytes: 2, changed: false },
    ]);

    const elsewhere = await run(sandbox, "other-task", "shell", "ls -A /workspace | wc -l");
    expect(elsewhere.stdout.trim()).toBe("0");
  });

  it("removes a task's workspace", async () => {
    await run(sandbox, "removed", "shell", "echo x > file");
    expect(existsSync(sandbox.workspaceDirectory("removed"))).toBe(true);
    await sandbox.removeWorkspace("removed");
    expect(existsSync(sandbox.workspaceDirectory("removed"))).toBe(false);
    const again = await run(sandbox, "removed", "shell", "ls -A");
    expect(again.stdout).toBe("");
    await sandbox.removeWorkspace("never-existed");
  });

  it("refuses task ids that could name a path outside its root", async () => {
    for (const taskId of [
      "../escape",
      "a/b",
      ".",
      "..",
      "",
      ".hidden",
      "_availability-probe",
      "x".repeat(200),
    ]) {
      const error = await run(sandbox, taskId, "shell", "true").catch((caught: unknown) => caught);
      expect(isCodedError(error, "sandbox_invalid_task")).toBe(true);
      await expect(sandbox.removeWorkspace(taskId)).rejects.toThrow("not a safe sandbox task id");
    }
    expect(existsSync(`${root}/../escape`)).toBe(false);
  });

  it("reports a missing python3 and still offers the other languages", async () => {
    const withoutPython = new LocalSandbox({ root, pythonPath: "/nonexistent/python3" });
    const availability = await withoutPython.available();
    expect(availability).toEqual({
      ok: true,
      languages: ["shell", "node"],
      unavailable: [{ language: "python", reason: expect.stringContaining("/nonexistent/python3") }],
      enforcement: { sandbox: expect.any(String), disk: expect.any(String) },
    });
    const error = await run(withoutPython, "no-python", "python", "print(1)").catch(
      (caught: unknown) => caught,
    );
    expect(isCodedError(error, "sandbox_unavailable")).toBe(true);
  });

  it("reports why it is unavailable when bubblewrap is missing or cannot start a sandbox", async () => {
    const missing = new LocalSandbox({ root, bubblewrapPath: "/nonexistent/bwrap" });
    expect(await missing.available()).toEqual({
      ok: false,
      reason: "bubblewrap not found at /nonexistent/bwrap",
    });

    const broken = new LocalSandbox({ root, bubblewrapPath: "/usr/bin/false" });
    const availability = await broken.available();
    expect(availability.ok).toBe(false);
    if (!availability.ok) expect(availability.reason).toContain("a trivial sandbox does not start");
  });

  it("reuses a successful availability check until it is stale", async () => {
    let now = 0;
    const cached = new LocalSandbox({ root, now: () => now, availabilityCacheMs: 1_000 });
    const first = cached.available();
    expect(cached.available()).toBe(first);
    await first;
    now = 1_001;
    expect(cached.available()).not.toBe(first);
  });
});
