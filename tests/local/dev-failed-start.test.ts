import { execFile } from "node:child_process";
import { chmodSync, cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { connect, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../src/local/ports.js";

/**
 * `npm run dev` whose start fails after it started Postgres and Redis (here: the Slack emulator's port
 * is taken) stops them before it exits, instead of leaving them running in the background. Runs in a
 * copy of the project, so its .local/ is its own.
 */
const projectRoot = fileURLToPath(new URL("../..", import.meta.url));
const parent = mkdtempSync(join(tmpdir(), "coworker-dev-"));
chmodSync(parent, 0o755); // as root, Postgres runs as another user, who must reach .local/postgres
const copy = join(parent, "project");
cpSync(join(projectRoot, "src"), join(copy, "src"), { recursive: true });
cpSync(join(projectRoot, "prisma"), join(copy, "prisma"), { recursive: true });
cpSync(join(projectRoot, "package.json"), join(copy, "package.json"));
symlinkSync(join(projectRoot, "node_modules"), join(copy, "node_modules"));

let blocker: Server | undefined;
afterAll(async () => {
  await new Promise((resolve) => (blocker ? blocker.close(resolve) : resolve(undefined)));
  rmSync(parent, { recursive: true, force: true });
});

describe("npm run dev, failing to start", () => {
  it("stops the Postgres and Redis it had started", async () => {
    const slackPort = await freePort();
    blocker = createServer();
    await new Promise<void>((resolve) => blocker!.listen(slackPort, "127.0.0.1", resolve));
    const postgresPort = await freePort();
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ["--import", "tsx", join(copy, "src", "dev.ts")],
        {
          cwd: copy,
          env: {
            PATH: dirname(process.execPath),
            HOME: tmpdir(),
            DEV_POSTGRES_PORT: String(postgresPort),
            DEV_SLACK_PORT: String(slackPort),
          },
          timeout: 150_000,
        },
        (error, stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
      );
    });
    // It got as far as starting both, then failed.
    expect(result.stdout).toContain(`127.0.0.1:${postgresPort}`);
    const redisUrl = /Redis on (redis:\/\/127\.0\.0\.1:\d+)/.exec(result.stdout)?.[1];
    expect(redisUrl).toBeDefined();
    expect(result.code).toBe(1);
    // Neither is running any more.
    const client = new pg.Client({
      connectionString: `postgresql://postgres@127.0.0.1:${postgresPort}/postgres`,
    });
    await expect(client.connect()).rejects.toThrow(/ECONNREFUSED/);
    await expect(connects(Number(new URL(redisUrl!).port))).resolves.toBe(false);
  }, 180_000);
});

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
