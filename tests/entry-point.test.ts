import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

/**
 * `npm start` (node dist/main.js) must start from any folder: here a copy of the project in a folder
 * whose path has a space. Without configuration, a started entry point says what is missing and exits
 * 2; one whose start check failed would exit 0 silently.
 */
const projectRoot = fileURLToPath(new URL("..", import.meta.url));
const parent = mkdtempSync(join(tmpdir(), "coworker entry "));
const copy = join(parent, "my project");
cpSync(join(projectRoot, "src"), join(copy, "src"), { recursive: true });
cpSync(join(projectRoot, "prisma"), join(copy, "prisma"), { recursive: true });
cpSync(join(projectRoot, "package.json"), join(copy, "package.json"));
symlinkSync(join(projectRoot, "node_modules"), join(copy, "node_modules"));

afterAll(() => rmSync(parent, { recursive: true, force: true }));

async function run(script: string) {
  return promisify(execFile)(process.execPath, ["--import", "tsx", script], {
    cwd: copy,
    env: { PATH: dirname(process.execPath), HOME: tmpdir() },
    timeout: 60_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

describe("entry points in a path with a space", () => {
  it("main.ts starts (and reports the missing configuration)", async () => {
    expect(copy).toContain(" ");
    const result = await run(join(copy, "src", "main.ts"));
    expect(result.stderr).toContain("Configuration is invalid");
    expect(result.code).toBe(2);
  }, 90_000);

  it("the migrate command starts too", async () => {
    const result = await run(join(copy, "src", "storage", "migrate-command.ts"));
    expect(result.stderr).toContain("DATABASE_URL is required");
    expect(result.code).toBe(2);
  }, 90_000);
});
