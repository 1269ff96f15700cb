import { chmod, copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findInterpreter } from "../../../src/tools/computer/interpreters.js";
import { createTestSandbox, run } from "./sandbox-fixture.js";

describe("interpreters outside /usr", () => {
  let home: string;
  let prefix: string;

  beforeAll(async () => {
    // A Node install the way nvm lays it out, next to a file that must stay hidden.
    home = await mkdtemp(join(tmpdir(), "sandbox-home-"));
    prefix = join(home, ".nvm", "versions", "node", process.version);
    await mkdir(join(prefix, "bin"), { recursive: true });
    await mkdir(join(prefix, "include", "node"), { recursive: true });
    await copyFile(process.execPath, join(prefix, "bin", "node"));
    await writeFile(join(home, "secret.txt"), "do not show");
    for (const directory of [
      home,
      join(home, ".nvm"),
      join(home, ".nvm", "versions"),
      join(home, ".nvm", "versions", "node"),
    ]) {
      await chmod(directory, 0o755);
    }
  });

  afterAll(() => rm(home, { recursive: true, force: true }));

  it("uses /usr interpreters as they are", () => {
    expect(
      findInterpreter("python", { pythonPath: "/usr/bin/python3", nodePath: "/usr/bin/node" }),
    ).toMatchObject({
      ok: true,
      interpreter: { command: "/usr/bin/python3", mounts: [], path: [] },
    });
  });

  it("binds a Node install directory, and only the binary when it is not one", async () => {
    expect(
      findInterpreter("node", { pythonPath: "/usr/bin/python3", nodePath: join(prefix, "bin", "node") }),
    ).toMatchObject({
      ok: true,
      interpreter: { mounts: [prefix], path: [join(prefix, "bin")] },
    });
    const loose = join(home, "node");
    await copyFile(process.execPath, loose);
    expect(findInterpreter("node", { pythonPath: "/usr/bin/python3", nodePath: loose })).toMatchObject({
      ok: true,
      interpreter: { command: loose, mounts: [loose] },
    });
  });

  it("runs that Node in the sandbox without exposing the directories around it", async () => {
    const { sandbox, cleanup } = await createTestSandbox({ nodePath: join(prefix, "bin", "node") });
    try {
      const result = await run(
        sandbox,
        "nvm",
        "node",
        `const fs = require("fs");\nconsole.log(process.execPath);\nconsole.log(fs.readdirSync(${JSON.stringify(home)}).join(","));`,
      );
      expect(result.stdout).toBe(`${join(prefix, "bin", "node")}\n.nvm\n`);
      expect(result.exitCode).toBe(0);
    } finally {
      await cleanup();
    }
  });
});
