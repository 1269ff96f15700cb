import { createServer, type IncomingHttpHeaders } from "node:http";
import {
  type SlackEmulator,
  type SlackEmulatorOptions,
  startSlackEmulator,
} from "../../src/emulator/index.js";

/** A request the emulator sent to the fake app. */
export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}

export interface Answer {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  /** Answer after this many milliseconds. */
  delayMs?: number;
}

/**
 * A real HTTP server standing in for the app's request URL: records every request and answers as
 * `answer` says (default: an immediate empty 200, like Bolt's ack).
 */
export async function startReceiver(answer: (request: ReceivedRequest) => Answer = () => ({})) {
  const requests: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const received = {
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        receivedAt: Date.now(),
      };
      requests.push(received);
      const reply = answer(received);
      const send = () => {
        if (response.destroyed) return;
        response.writeHead(reply.status ?? 200, reply.headers ?? {});
        response.end(reply.body ?? "");
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/slack/events`,
    requests,
    /** Parsed JSON bodies of event deliveries. */
    events: () =>
      requests
        .filter((request) => request.headers["content-type"] === "application/json")
        .map(
          (request) =>
            JSON.parse(request.body) as Record<string, unknown> & { event: Record<string, unknown> },
        ),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** The emulator delivering to a fresh receiver (answering as `answer` says); `close` stops both. */
export async function startEmulatorAndReceiver(
  answer?: (request: ReceivedRequest) => Answer,
  options: SlackEmulatorOptions = {},
): Promise<{ slack: SlackEmulator; receiver: Receiver; close: () => Promise<void> }> {
  const receiver = await startReceiver(answer);
  const slack = await startSlackEmulator({ requestUrl: receiver.url, ...options });
  return {
    slack,
    receiver,
    async close() {
      await slack.close();
      await receiver.close();
    },
  };
}
