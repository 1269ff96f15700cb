import { type SlackEmulator, startSlackEmulator } from "../../../src/emulator/index.js";
import type { GoogleIntegration } from "../../../src/integrations/google/integration.js";
import { googleIntegrationFor } from "../../../src/integrations/google/integration.js";
import { googleOAuthRoutes } from "../../../src/integrations/google/routes.js";
import type { GoogleSettings } from "../../../src/integrations/google/settings.js";
import { freePort } from "../../../src/local/ports.js";
import { startWeb, type WebRole } from "../../../src/roles/web.js";
import { startWorker, type WorkerRole } from "../../../src/roles/worker.js";
import { createServices, type Services } from "../../../src/services.js";
import type { Database } from "../../../src/storage/database.js";
import type { Tool } from "../../../src/tools/tool.js";
import {
  type FakeModelServer,
  type FakeModelServerOptions,
  startFakeModelServer,
} from "../../support/fake-model-server.js";
import { type GoogleStandIn, startGoogleStandIn } from "../../support/google-stand-in.js";
import { appEnvironment, testConfig, testDatabase } from "../../support/stack.js";
import { type Browser, createBrowser } from "./browser.js";

/**
 * The app for integration tests: the Slack emulator, the Google stand-in, the fake model server, a
 * fresh database, the web role with the Google OAuth routes, and (when asked) a worker whose tools
 * are the test's. Retries wait no time here; the waits asked for are recorded.
 */
export interface IntegrationStack {
  slack: SlackEmulator;
  google: GoogleStandIn;
  model: FakeModelServer;
  database: Database;
  services: Services;
  integration: GoogleIntegration;
  web: WebRole;
  publicUrl: string;
  /** Backoff waits the Google client asked for, in order. */
  waits: number[];
  /** A fresh browser signed in to Slack (the emulator) as this person, for Sign in with Slack. */
  browserAs(userId: string): Promise<Browser>;
  close(): Promise<void>;
}

export async function startIntegrationStack(
  options: {
    reply?: FakeModelServerOptions["reply"];
    tools?: (stack: Omit<IntegrationStack, "close">) => Promise<Tool[]>;
    /** false: no SLACK_CLIENT_ID/SECRET, so Sign in with Slack (and connecting) is unavailable. */
    slackSignIn?: boolean;
  } = {},
): Promise<IntegrationStack> {
  const slack = await startSlackEmulator();
  const google = await startGoogleStandIn();
  const model = await startFakeModelServer({ reply: options.reply ?? (() => ({ text: "ok" })) });
  const { url: databaseUrl, database } = await testDatabase();
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const settings: GoogleSettings = {
    clientId: google.clientId,
    clientSecret: google.clientSecret,
    apiRootUrl: google.url,
    endpoints: google.endpoints,
  };
  const config = {
    ...testConfig({
      ...appEnvironment({ databaseUrl, slack, model }),
      PORT: String(port),
      PUBLIC_URL: publicUrl,
      // Sign in with Slack (before a Google connect) uses the Slack app's client id and secret.
      ...(options.slackSignIn === false
        ? {}
        : { SLACK_CLIENT_ID: slack.clientId, SLACK_CLIENT_SECRET: slack.clientSecret }),
    }),
    google: settings,
  };
  google.allowRedirect(`${publicUrl}/oauth/google/callback`);
  const services = createServices(config);
  const waits: number[] = [];
  const integration = googleIntegrationFor(services, {
    sleep: async (milliseconds) => {
      waits.push(milliseconds);
    },
  });
  if (!integration) throw new Error("google settings were not picked up");
  const web = await startWeb(services, { port, routes: googleOAuthRoutes(integration) });
  slack.setRequestUrl(`${web.url}/slack/events`);
  const browserAs = async (userId: string) => {
    const browser = createBrowser();
    const signedIn = await browser.visit(slack.signInUrl(userId));
    if (signedIn.status !== 200) throw new Error(`could not sign in to slack as ${userId}: ${signedIn.body}`);
    return browser;
  };
  const partial = { slack, google, model, database, services, integration, web, publicUrl, waits, browserAs };
  let worker: WorkerRole | undefined;
  if (options.tools) {
    const tools = options.tools;
    worker = await startWorker(services, { tools: () => tools(partial) });
  }
  return {
    ...partial,
    async close() {
      await worker?.close(2000);
      await web.close();
      await services.close();
      await database.$disconnect();
      await model.close();
      await google.close();
      await slack.close();
    },
  };
}
