import { type SlackEmulator, startSlackEmulator } from "../../../src/emulator/index.js";
import { createMetrics, type Metrics } from "../../../src/observability/metrics.js";
import { startWeb, type WebRole } from "../../../src/roles/web.js";
import { createServices, type Services } from "../../../src/services.js";
import type { Database } from "../../../src/storage/database.js";
import type { ThrottleLimits } from "../../../src/web/login-throttle.js";
import { appEnvironment, testConfig, testDatabase } from "../../support/stack.js";

/**
 * The web role alone (Slack emulator for Bolt, a fresh database), with the admin password and a
 * metrics registry of the test's own: for the run viewer's access rules and pages.
 */
export interface WebStack {
  slack: SlackEmulator;
  database: Database;
  services: Services;
  metrics: Metrics;
  web: WebRole;
  close(): Promise<void>;
}

export const adminPassword = "correct horse battery staple";

export async function startWebStack(
  options: { adminPassword?: string; env?: Record<string, string>; loginLimits?: ThrottleLimits } = {},
): Promise<WebStack> {
  const slack = await startSlackEmulator();
  const { url, database } = await testDatabase();
  const config = testConfig({
    ...appEnvironment({ databaseUrl: url, slack }),
    PUBLIC_URL: "http://coworker.test",
    ...options.env,
  });
  const services = createServices(config);
  const metrics = createMetrics({ processMetrics: false });
  const web = await startWeb(services, {
    metrics,
    adminPassword: options.adminPassword ?? adminPassword,
    ...(options.loginLimits ? { loginLimits: options.loginLimits } : {}),
  });
  slack.setRequestUrl(`${web.url}/slack/events`);
  return {
    slack,
    database,
    services,
    metrics,
    web,
    async close() {
      await web.close();
      await services.close();
      await database.$disconnect();
      await slack.close();
    },
  };
}

/** A run link (as `runLink` makes it for PUBLIC_URL) pointed at the test's web role instead. */
export function local(web: WebRole, link: string): string {
  const url = new URL(link);
  return `${web.url}${url.pathname}${url.search}`;
}

/** Signs in and returns the Cookie header value. */
export async function signIn(web: WebRole, password = adminPassword): Promise<string> {
  const response = await fetch(`${web.url}/admin/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ password, next: "/runs" }),
    redirect: "manual",
  });
  if (response.status !== 303) throw new Error(`sign-in answered ${response.status}`);
  return (response.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
}
