import { mkdirSync } from "node:fs";
import { Redis } from "ioredis";
import { freePort } from "./ports.js";
import { recentOutput, spawnService, stopChild, waitFor } from "./process.js";
import { ensureRedisServer } from "./redis-install.js";

export interface LocalRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts a private redis-server on loopback. With a `dataDirectory` it keeps an append-only file there
 * (the queue survives restarts); without, it is in-memory only (tests).
 */
export async function startRedis(
  options: { dataDirectory?: string; port?: number } = {},
): Promise<LocalRedis> {
  const binary = ensureRedisServer();
  const port = options.port ?? (await freePort());
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--protected-mode", "yes"];
  if (options.dataDirectory) {
    mkdirSync(options.dataDirectory, { recursive: true });
    args.push("--dir", options.dataDirectory, "--appendonly", "yes", "--appendfsync", "everysec");
  } else {
    args.push("--appendonly", "no");
  }
  // BullMQ requires that Redis never evicts its keys.
  args.push("--maxmemory-policy", "noeviction");
  const child = spawnService(binary, args);
  const url = `redis://127.0.0.1:${port}`;
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  await waitFor(
    async () => {
      if (exited) throw new Error(`redis-server exited: ${recentOutput(child)}`);
      const client = new Redis(url, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      client.on("error", () => undefined);
      try {
        await client.connect();
        return (await client.ping()) === "PONG";
      } finally {
        client.disconnect();
      }
    },
    15_000,
    "redis-server",
  ).catch((error) => {
    child.kill("SIGKILL");
    throw new Error(`${error.message}\n${recentOutput(child)}`);
  });
  return { url, port, stop: () => stopChild(child, "SIGTERM") };
}
