/**
 * A worker role in its own process whose tools come from a module: TOOLS_MODULE names a file that
 * exports `createTools(environment)`. Lock settings are BullMQ's defaults (src/roles/worker.ts) unless
 * TEST_LOCK_MS (and TEST_STALLED_MS) shorten them. Configuration comes from the environment.
 */
import { pathToFileURL } from "node:url";
import { loadConfig } from "../../src/config/index.js";
import { startWorker } from "../../src/roles/worker.js";
import { createServices } from "../../src/services.js";
import type { Tool } from "../../src/tools/tool.js";

interface ToolsModule {
  createTools(environment: Record<string, string | undefined>): Tool[];
}

const config = loadConfig();
const services = createServices(config);
const toolsModule = process.env.TOOLS_MODULE;
const tools = toolsModule
  ? ((await import(pathToFileURL(toolsModule).href)) as ToolsModule).createTools(process.env)
  : [];
const settings = process.env.TEST_LOCK_MS
  ? {
      lockDuration: Number(process.env.TEST_LOCK_MS),
      stalledInterval: Number(process.env.TEST_STALLED_MS ?? 1000),
    }
  : {};
const worker = await startWorker(services, { tools: async () => tools, settings });
process.send?.({ ready: true, pid: process.pid });
process.on("SIGTERM", () => {
  void worker.close(2000).then(() => services.close().then(() => process.exit(0)));
});
