// A disk quota on each task's workspace: many files from many processes cannot add up past it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatRunResult } from "../../../src/tools/computer/format-result.js";
import type { LocalSandbox } from "../../../src/tools/computer/local-sandbox.js";
import type { SandboxRunResult } from "../../../src/tools/computer/sandbox.js";
import { createTestSandbox, run } from "./sandbox-fixture.js";

const mebibyte = 1024 ** 2;

/** Four processes write ten 1 MiB files each (40 MiB), every file under the 8 MiB per-file cap. */
const manyFiles = [
  "for writer in 1 2 3 4; do",
  '  ( for i in $(seq 1 10); do head -c 1048576 /dev/urandom > "w$writer-$i" || echo "refused w$writer-$i"; done ) &',
  "done",
  "wait",
].join("\n");

function fileBytes(result: SandboxRunResult): number {
  return result.files.filter((file) => file.kind === "file").reduce((total, file) => total + file.bytes, 0);
}

describe("the workspace's disk quota", () => {
  let sandbox: LocalSandbox;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ sandbox, cleanup } = await createTestSandbox({
      diskQuota: "volume",
      limits: { workspaceBytes: 16 * mebibyte, fileBytes: 8 * mebibyte, listedFiles: 100 },
    }));
  });

  afterAll(() => cleanup());

  it("is a size-capped filesystem on this host", async () => {
    expect((await sandbox.enforcement()).disk).toMatch(/^a loop-mounted ext4 filesystem of 16 MiB/);
  });

  it("refuses many files that together exceed the quota, and says so", async () => {
    const result = await run(sandbox, "many-files", "shell", manyFiles, { timeoutMs: 60_000 });
    expect(fileBytes(result)).toBeLessThanOrEqual(16 * mebibyte);
    expect(result.stdout).toMatch(/refused w\d+-\d+/);
    expect(result.stderr).toContain("No space left on device");
    expect(result.limits?.workspaceFull).toBe(true);
    expect(formatRunResult(result, 60)).toContain("Disk quota: /workspace is full (quota 16 MiB");
  });

  it("keeps the quota across runs, and deleting makes room again", async () => {
    const again = await run(sandbox, "many-files", "shell", manyFiles, { timeoutMs: 60_000 });
    expect(fileBytes(again)).toBeLessThanOrEqual(16 * mebibyte);
    const emptied = await run(sandbox, "many-files", "shell", "rm -f w*; head -c 4194304 /dev/zero > fresh");
    expect(emptied).toMatchObject({ exitCode: 0, files: [{ path: "fresh", bytes: 4 * mebibyte }] });
    expect(emptied.limits?.workspaceFull).toBe(false);
  });

  it("without a size-capped filesystem, accounting gives a full workspace no new bytes", async () => {
    const accounting = await createTestSandbox({
      diskQuota: "accounting",
      limits: { workspaceBytes: 16 * mebibyte, fileBytes: 8 * mebibyte },
    });
    try {
      expect((await accounting.sandbox.enforcement()).disk).toMatch(
        /^no size-capped filesystem \(not configured\)/,
      );
      const first = await run(accounting.sandbox, "accounting", "shell", manyFiles, { timeoutMs: 60_000 });
      expect(first.limits?.workspaceFull).toBe(true);
      const next = await run(accounting.sandbox, "accounting", "shell", "echo more > another; echo $?");
      expect(next.stdout.trim()).not.toBe("0");
      expect(next.files.find((file) => file.path === "another")?.bytes ?? 0).toBe(0);
      await run(accounting.sandbox, "accounting", "shell", "rm -f w*");
      const cleared = await run(accounting.sandbox, "accounting", "shell", "echo room > another");
      expect(cleared).toMatchObject({ exitCode: 0, files: [{ path: "another", bytes: 5 }] });
    } finally {
      await accounting.cleanup();
    }
  }, 60_000);
});
