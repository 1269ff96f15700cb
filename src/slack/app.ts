import { App, type CustomRoute, HTTPReceiver, LogLevel } from "@slack/bolt";
import type { Services } from "../services.js";
import { registerSlashCommand } from "./commands/index.js";
import { registerHome } from "./home/index.js";
import { registerMessageListeners } from "./listeners/messages.js";

/**
 * The Slack edge: Bolt with its HTTP receiver on POST /slack/events (events, interactivity and slash
 * commands), or Socket Mode when SLACK_APP_TOKEN is set. Listeners only validate, persist and enqueue.
 */
export function createSlackApp(services: Services, customRoutes: CustomRoute[]): App {
  const { config } = services;
  const common = {
    token: config.slack.botToken,
    logLevel: LogLevel.WARN,
    ignoreSelf: true,
    clientOptions: { slackApiUrl: config.slack.apiUrl },
  };
  const app = config.slack.appToken
    ? new App({
        ...common,
        socketMode: true,
        appToken: config.slack.appToken,
        signingSecret: config.slack.signingSecret,
        customRoutes,
        port: config.http.port,
      })
    : new App({
        ...common,
        receiver: new HTTPReceiver({
          signingSecret: config.slack.signingSecret,
          endpoints: "/slack/events",
          customRoutes,
          logLevel: LogLevel.WARN,
        }),
      });
  app.error(async (error) => {
    services.logger.error(
      { error: error.message, code: (error as { code?: string }).code },
      "slack listener error",
    );
  });
  registerMessageListeners(app, services);
  registerSlashCommand(app, services);
  registerHome(app, services);
  return app;
}
