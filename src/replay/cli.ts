import { ConfigError, loadConfig } from "../config/index.js";
import { runReplayCommand } from "./command.js";

/** `npm run replay -- <run id>`: see command.ts for the options. */
async function main(): Promise<number> {
  try {
    const config = loadConfig();
    return await runReplayCommand(process.argv.slice(2), config, {
      out: (line) => console.log(line),
      error: (line) => console.error(line),
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
}

process.exit(await main());
