/**
 * The web role in its own process, for tests that kill processes: configuration comes from the
 * environment as in production (give it a fixed PORT so a restarted web role keeps the URL Slack
 * delivers to). It tells its parent the URL it listens on once it is ready.
 */
import { loadConfig } from "../../src/config/index.js";
import { startWeb } from "../../src/roles/web.js";
import { createServices } from "../../src/services.js";

const config = loadConfig();
const services = createServices(config);
const web = await startWeb(services);
process.send?.({ ready: true, url: web.url, port: web.port });
process.on("SIGTERM", () => {
  void web
    .close()
    .then(() => services.close())
    .then(() => process.exit(0));
});
