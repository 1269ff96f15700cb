import { describe, expect, it } from "vitest";
import { redisInstallPlan } from "../../src/local/redis-install.js";

/** Redis comes from the machine: installed when we may (root with apt-get), else one exact command. */
describe("redis-server install plan", () => {
  it("installs Debian's package when root with apt-get, and says so", () => {
    const plan = redisInstallPlan({ root: true, aptGet: true, platform: "linux" });
    expect(plan.kind).toBe("install");
    if (plan.kind !== "install") return;
    expect(plan.commands.at(-1)).toEqual(expect.arrayContaining(["apt-get", "install", "redis-server"]));
    expect(plan.description).toContain("apt-get install -y --no-install-recommends redis-server");
  });

  it("names the one command otherwise", () => {
    expect(redisInstallPlan({ root: false, aptGet: true, platform: "linux" })).toEqual({
      kind: "ask",
      command: "sudo apt-get install -y redis-server",
    });
    expect(redisInstallPlan({ root: false, aptGet: false, platform: "darwin" })).toEqual({
      kind: "ask",
      command: "brew install redis",
    });
  });
});
