/**
 * A standalone emulator: `tsx src/emulator/main.ts [--port 3333] [--request-url URL]
 * [--signing-secret SECRET]`. Prints the URLs and credentials, runs until interrupted.
 */
import { parseArgs } from "node:util";
import { startSlackEmulator } from "./emulator.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "3333" },
    host: { type: "string", default: "127.0.0.1" },
    "request-url": { type: "string" },
    "signing-secret": { type: "string" },
    "no-rate-limits": { type: "boolean", default: false },
  },
});

const slack = await startSlackEmulator({
  port: Number(values.port),
  host: values.host,
  requestUrl: values["request-url"],
  signingSecret: values["signing-secret"],
  rateLimits: values["no-rate-limits"] ? false : undefined,
});

const summary = {
  url: slack.url,
  apiUrl: slack.apiUrl,
  requestUrl: slack.endpoints.events ?? null,
  signingSecret: slack.signingSecret,
  botToken: slack.botToken,
  teamId: slack.teamId,
  botUserId: slack.botUserId,
  appId: slack.appId,
  users: Object.fromEntries(Object.entries(slack.users).map(([key, user]) => [key, user.id])),
  channels: Object.fromEntries(Object.entries(slack.channels).map(([key, channel]) => [key, channel.id])),
};
process.stdout.write(`Slack emulator listening on ${slack.url}\n${JSON.stringify(summary, null, 2)}\n`);

const shutdown = () => {
  void slack.close().then(() => process.exit(0));
};
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
