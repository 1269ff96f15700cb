import { type Logger, LogLevel, webApi } from "@slack/bolt";
import type { SlackEmulator } from "../../src/emulator/index.js";

/** A logger that keeps expected API errors out of the test output. */
export const quietLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

/** A real @slack/web-api WebClient pointed at the emulator. */
export function webClient(
  slack: SlackEmulator,
  options: webApi.WebClientOptions = {},
  token: string | undefined = slack.botToken,
): webApi.WebClient {
  return new webApi.WebClient(token, {
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries: 0 },
    logger: quietLogger,
    ...options,
  });
}
