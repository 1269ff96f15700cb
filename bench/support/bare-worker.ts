/**
 * The baseline for the worker role: a bare BullMQ worker (no database, no harness) that posts one
 * Slack message per job, or does nothing (EMPTY=1, raw queue throughput). Started as a child process.
 */
import { webApi } from "@slack/bolt";
import { Worker } from "bullmq";
import { redisConnection } from "../../src/queue/connection.js";

const slack = new webApi.WebClient(process.env.SLACK_BOT_TOKEN, { slackApiUrl: process.env.SLACK_API_URL });
const empty = process.env.EMPTY === "1";
const worker = new Worker(
  "bare",
  async (job) => {
    if (empty) return;
    const { channel, text } = JSON.parse((job.data as { body: string }).body) as {
      channel: string;
      text: string;
    };
    await slack.chat.postMessage({ channel, text });
  },
  {
    connection: redisConnection(process.env.REDIS_URL ?? ""),
    prefix: process.env.QUEUE_PREFIX,
    concurrency: Number(process.env.CONCURRENCY ?? 20),
  },
);
await worker.waitUntilReady();
process.send?.({ ready: true, pid: process.pid });
