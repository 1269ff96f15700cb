import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordSampleRun } from "../replay/support/sample-run.js";
import { launchBrowser } from "../support/browser.js";
import { adminPassword, startWebStack, type WebStack } from "./support/web-stack.js";

/**
 * The admin pages in headless Chromium: the queue dashboard sends a stranger to the sign-in form,
 * signing in comes back to the dashboard (bull-board's own UI, showing our queues), and the run list
 * filters and links to a run's page.
 */
let stack: WebStack;
let browser: Browser;
let runId: string;

beforeAll(async () => {
  stack = await startWebStack();
  runId = await recordSampleRun(stack.database);
  await stack.services.queues.enqueue(
    "run.execute",
    { runId, reason: "start" },
    { jobId: `run-${runId}-start` },
  );
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe("admin pages in a browser", () => {
  it("signs in from the queue dashboard and shows the queues", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.web.url}/admin/queues`);
    expect(new URL(page.url()).pathname).toBe("/admin/login");
    await page.getByLabel("Admin password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    expect(await page.getByRole("alert").textContent()).toContain("That password is not right.");
    await page.getByLabel("Admin password").fill(adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${stack.web.url}/admin/queues`);
    await page.getByText("schedules", { exact: true }).first().waitFor({ timeout: 15_000 });
    expect(await page.getByText("runs", { exact: true }).count()).toBeGreaterThan(0);
    const cookies = await context.cookies();
    expect(cookies.find((cookie) => cookie.name === "coworker_admin")).toMatchObject({
      httpOnly: true,
      sameSite: "Lax",
    });
    await context.close();
  });

  it("filters the run list and opens a run", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.web.url}/runs`);
    await page.getByLabel("Admin password").fill(adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${stack.web.url}/runs`);
    expect(await page.getByTestId("run-row").count()).toBe(1);
    await page.getByLabel("State").selectOption("failed");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/state=failed/);
    expect(await page.getByText("No runs match.").count()).toBe(1);
    await page.getByLabel("State").selectOption("completed");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/state=completed/);
    await page.getByRole("link", { name: runId.slice(0, 8) }).click();
    await page.waitForURL(`${stack.web.url}/runs/${runId}`);
    expect(await page.getByTestId("outcome").textContent()).toBe("completed");
    expect(await page.getByTestId("approval").textContent()).toContain("approved by U_BOB");
    await context.close();
  });
});
