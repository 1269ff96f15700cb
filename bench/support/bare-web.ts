/**
 * The baseline for the web role: a bare Node HTTP server that reads the body, answers 200 at once
 * and then (with ENQUEUE=1) adds one BullMQ job carrying the body, as the web role does with an event
 * it has acknowledged. No signature check, no database. Started as a child process; tells its parent
 * its URL.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Queue } from "bullmq";
import { redisConnection } from "../../src/queue/connection.js";

const queue =
  process.env.ENQUEUE === "1"
    ? new Queue("bare", {
        connection: redisConnection(process.env.REDIS_URL ?? ""),
        prefix: process.env.QUEUE_PREFIX,
      })
    : undefined;
const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    response.writeHead(200, { "content-type": "text/plain" }).end("ok");
    if (queue) void queue.add("post", { body: Buffer.concat(chunks).toString() }, { removeOnComplete: true });
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ ready: true, url: `http://127.0.0.1:${port}`, port });
});
