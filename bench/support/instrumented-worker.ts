/**
 * A worker role in its own process (configuration from the environment, no extra tools) that measures
 * itself: event-loop delay (perf_hooks, 10 ms resolution) and resident memory sampled every 100 ms.
 * The parent asks over IPC: "reset" starts a fresh measurement, "stats" gets the figures.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { loadConfig } from "../../src/config/index.js";
import { startWorker } from "../../src/roles/worker.js";
import { createServices } from "../../src/services.js";

const config = loadConfig();
const services = createServices(config);
await startWorker(services, { tools: async () => [] });

let delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
let peakRss = process.memoryUsage.rss();
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 100);
sampler.unref();

process.on("message", (message) => {
  if (message === "reset") {
    delay.disable();
    delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    peakRss = process.memoryUsage.rss();
    process.send?.({ reset: true });
  } else if (message === "stats") {
    process.send?.({
      stats: {
        // Histogram values are nanoseconds: how late a 10 ms timer fired.
        lagP50Ms: delay.percentile(50) / 1e6,
        lagP99Ms: delay.percentile(99) / 1e6,
        lagMaxMs: delay.max / 1e6,
        peakRssBytes: peakRss,
        rssBytes: process.memoryUsage.rss(),
      },
    });
  }
});
process.send?.({ ready: true, pid: process.pid });
