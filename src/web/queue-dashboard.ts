import type { IncomingMessage, ServerResponse } from "node:http";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import type { Queue } from "bullmq";
import express from "express";

/**
 * The BullMQ dashboard (bull-board) as a plain node:http handler: bull-board's Express adapter on an
 * Express app of its own, mounted at `basePath`. The web role puts it behind the admin login.
 */
export const queueDashboardPath = "/admin/queues";

export function queueDashboard(
  queues: Queue[],
  options: { basePath?: string; readOnly?: boolean } = {},
): (request: IncomingMessage, response: ServerResponse) => void {
  const basePath = options.basePath ?? queueDashboardPath;
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(basePath);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: options.readOnly ?? false })),
    serverAdapter,
    options: { uiConfig: { boardTitle: "coworker queues" } },
  });
  const app = express();
  app.disable("x-powered-by");
  app.use(basePath, serverAdapter.getRouter());
  return (request, response) => {
    app(request as express.Request, response as express.Response);
  };
}
