/**
 * A worker role in its own process, for tests that kill processes. Configuration comes from the
 * environment as in production; STAND_IN_URL adds the effect tool, and the lock settings are short so
 * recovery is quick.
 */
import { loadConfig } from "../../src/config/index.js";
import { startWorker } from "../../src/roles/worker.js";
import { createServices } from "../../src/services.js";
import { effectTool } from "./effect-tool.js";

const config = loadConfig();
const services = createServices(config);
const settings = process.env.TEST_LOCK_MS
  ? {
      lockDuration: Number(process.env.TEST_LOCK_MS),
      stalledInterval: Number(process.env.TEST_STALLED_MS ?? 1000),
    }
  : {};
const tools = process.env.STAND_IN_URL
  ? [effectTool(process.env.STAND_IN_URL, { delayMs: 50, approval: process.env.TEST_APPROVAL === "1" })]
  : [];
const worker = await startWorker(services, { tools: async () => tools, settings });
process.send?.("ready");
process.on("SIGTERM", () => {
  void worker.close(2000).then(() => services.close().then(() => process.exit(0)));
});
