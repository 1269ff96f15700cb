import { execFileSync } from "node:child_process";
import { locateBinary, MissingBinaryError } from "./process.js";

/**
 * redis-server for dev, tests, CI and the benchmarks. Redis has no maintained npm build, so it comes
 * from the machine: when it is missing and we are root on a machine with apt-get, we install Debian's
 * package (saying so first); otherwise the error names the one command to run.
 */
export type RedisInstallPlan =
  | { kind: "install"; commands: string[][]; description: string }
  | { kind: "ask"; command: string };

export function redisInstallPlan(machine: {
  root: boolean;
  aptGet: boolean;
  platform: string;
}): RedisInstallPlan {
  if (machine.platform === "darwin") return { kind: "ask", command: "brew install redis" };
  if (machine.aptGet && machine.root) {
    return {
      kind: "install",
      commands: [
        ["apt-get", "update", "-qq"],
        [
          "env",
          "DEBIAN_FRONTEND=noninteractive",
          "apt-get",
          "install",
          "-y",
          "-qq",
          "--no-install-recommends",
          "redis-server",
        ],
      ],
      description:
        "redis-server was not found; installing Debian's redis-server package: " +
        "`apt-get update && apt-get install -y --no-install-recommends redis-server` " +
        "(the package may also start its own service on port 6379, which this project does not use)",
    };
  }
  if (machine.aptGet) return { kind: "ask", command: "sudo apt-get install -y redis-server" };
  return { kind: "ask", command: "install Redis 6.2 or later (https://redis.io/docs/install/)" };
}

let installed: string | undefined;

/** The path of redis-server, installing it first when the machine allows. */
export function ensureRedisServer(
  say: (line: string) => void = (line) => console.error(`[local] ${line}`),
): string {
  installed ??= locateBinary("redis-server");
  if (installed) return installed;
  const plan = redisInstallPlan({
    root: process.getuid?.() === 0,
    aptGet: locateBinary("apt-get") !== undefined,
    platform: process.platform,
  });
  if (plan.kind === "ask") throw new MissingBinaryError("redis-server", `${plan.command} (or set REDIS_URL)`);
  say(plan.description);
  for (const [command, ...args] of plan.commands) {
    execFileSync(command!, args, { stdio: ["ignore", "inherit", "inherit"] });
  }
  const path = locateBinary("redis-server");
  if (!path)
    throw new MissingBinaryError("redis-server", "the installation did not provide it (or set REDIS_URL)");
  say(`installed ${path}`);
  installed = path;
  return path;
}
