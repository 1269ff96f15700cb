// What limits run_code here is said at start-up (the tools are built) in the logs and in /readyz,
// including the fallbacks when the host has no usable cgroup or no size-capped filesystem.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../../src/logger.js";
import { readiness } from "../../../src/roles/web.js";
import { createServices, type Services } from "../../../src/services.js";
import { createToolRegistry, type ToolRegistryOptions } from "../../../src/tools/registry.js";
import { testConfig } from "../../support/stack.js";

describe("the sandbox's limits in the logs and /readyz", () => {
  let services: Services;
  let root: string;

  beforeAll(async () => {
    services = createServices(testConfig());
    root = await mkdtemp(join(tmpdir(), "sandbox-status-"));
  });

  afterAll(async () => {
    await services.close();
    await rm(root, { recursive: true, force: true });
  });

  async function buildTools(sandbox: ToolRegistryOptions["sandbox"]) {
    const lines: Array<{ msg: string; enforced?: string; sandbox?: string; disk?: string }> = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const logger = createLogger("info", sink);
    await createToolRegistry({ database: services.database, logger }, { sandbox }).tools();
    return lines;
  }

  it("says that only per-process rlimits apply when there is no cgroup, and that the quota is accounting", async () => {
    const lines = await buildTools({ root, cgroups: false, diskQuota: "accounting" });
    const fallbacks = lines.filter((line) => line.msg === "run_code sandbox limits fall back");
    expect(fallbacks.map((line) => line.enforced)).toEqual([
      expect.stringMatching(/^no cgroup limits \(turned off\); enforced instead: per-process rlimits only/),
      expect.stringMatching(/^no size-capped filesystem \(not configured\); enforced instead: accounting/),
    ]);
    const ready = await readiness(services);
    expect(ready).toMatchObject({ sandbox: { state: "ready" } });
    expect(ready.sandbox).toMatchObject({
      enforcement: {
        sandbox: expect.stringContaining("enforced instead: per-process rlimits only"),
        disk: expect.stringContaining("enforced instead: accounting"),
      },
    });
  });

  it("says a cgroup and a size-capped filesystem limit each run where the host allows them", async () => {
    const lines = await buildTools({ root, diskQuota: "volume" });
    expect(lines.filter((line) => line.msg === "run_code sandbox limits fall back")).toEqual([]);
    expect(lines.find((line) => line.msg === "run_code sandbox limits")).toMatchObject({
      sandbox: expect.stringMatching(/^cgroup v[12] per run/),
      disk: expect.stringMatching(/^a loop-mounted ext4 filesystem of 1024 MiB per workspace/),
    });
    expect((await readiness(services)).sandbox).toMatchObject({
      state: "ready",
      enforcement: { sandbox: expect.stringMatching(/^cgroup v[12] per run/) },
    });
  });

  it("says when run_code is off", async () => {
    await buildTools(false);
    expect((await readiness(services)).sandbox).toEqual({ state: "off" });
  });
});
