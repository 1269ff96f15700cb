import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueRunLink } from "../../src/web/run-links.js";
import { lookupTool, sendNoteTool } from "../replay/support/sample-run.js";
import { type AppStack, startAppStack } from "../support/app-stack.js";
import { launchBrowser } from "../support/browser.js";
import type { FakeRequestBody } from "../support/fake-model-server.js";

/**
 * The run viewer in headless Chromium, on a run made end to end by the real app: a mention in the
 * Slack emulator, a model that first answers 429 (retried), then looks up a forecast (clipped into an
 * artifact), then sends a note that waits for approval (approved in Slack), then answers. The run's
 * signed link opens its page: people and channels by name, the timeline picture, the retry, the tool
 * call expanded, the approval. A screenshot of the page is kept in .local/test-artifacts (ignored).
 */
const screenshotPath = path.resolve(".local/test-artifacts/run-viewer.png");
let stack: AppStack;
let browser: Browser;
let page: Page;
let runId: string;
let approverId: string;
let approverName: string;
const pageProblems: string[] = [];

/** Waits (at most 10 s) until `condition` holds. */
async function until(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the run to complete");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function toolResults(body: FakeRequestBody): number {
  return body.messages.filter((message) => message.role === "tool").length;
}

beforeAll(async () => {
  stack = await startAppStack({
    tools: [lookupTool(), sendNoteTool],
    reply: (body, call) => {
      if (call.index === 0) return { status: 429, retryAfter: 0, message: "Rate limit reached for requests" };
      const done = toolResults(body);
      if (done === 0) {
        return {
          text: "Let me check.",
          toolCalls: [{ name: "lookup_weather", arguments: { city: "Oslo" } }],
        };
      }
      if (done === 1) {
        return {
          toolCalls: [{ name: "send_note", arguments: { channel: "#general", text: "Oslo: 4°C all day." } }],
        };
      }
      return { text: "Sent the forecast to #general." };
    },
  });
  const { slack, database } = stack;
  approverId = slack.users.alice.id;
  approverName = slack.users.alice.realName;
  const posted = await slack.mention({
    user: "alice",
    channel: "general",
    text: "send the Oslo forecast to #general",
  });
  const approval = await slack.waitForMessage(
    { channel: posted.channel, threadTs: posted.ts, from: "bot", contains: "approval.approve" },
    20_000,
  );
  await slack.clickButton({
    user: "alice",
    channel: "general",
    messageTs: approval.ts,
    actionId: "approval.approve",
  });
  await slack.waitForMessage(
    { channel: posted.channel, threadTs: posted.ts, contains: "Sent the forecast" },
    20_000,
  );
  const run = await database.run.findFirstOrThrow({ where: { triggerTs: posted.ts } });
  runId = run.id;
  await until(
    async () => (await database.run.findUniqueOrThrow({ where: { id: runId } })).status === "completed",
  );

  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.on("console", (message) => {
    if (message.type() === "error") pageProblems.push(message.text());
  });
  page.on("pageerror", (error) => pageProblems.push(error.message));
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe("the run viewer", () => {
  it("shows the multi-step run: outcome, totals and the timeline", async () => {
    const run = await stack.database.run.findUniqueOrThrow({ where: { id: runId } });
    const link = new URL((await issueRunLink(stack.services, run, run.requesterId)).url);
    await page.goto(`${stack.running.webUrl}${link.pathname}${link.search}`);
    expect(await page.title()).toContain(`Run ${runId.slice(0, 8)}`);
    expect(await page.getByTestId("outcome").textContent()).toBe("completed");
    const steps = page.getByTestId("step");
    expect(await steps.count()).toBe(5);
    const titles = await page.locator(".step-title").allTextContents();
    expect(titles).toEqual([
      "#1 model turn · fake-model → lookup_weather",
      "#2 tool call · lookup_weather",
      "#3 model turn · fake-model → send_note",
      "#4 tool call · send_note",
      "#5 model turn · fake-model → answer",
    ]);
    expect(await page.getByTestId("totals").textContent()).toMatch(/5 steps · [\d,]+ input/);
  });

  it("shows people and channels by name, with the id on hover", async () => {
    const requester = page.getByTestId("requester");
    expect(await requester.textContent()).toBe(approverName);
    expect(await requester.locator(".person").getAttribute("title")).toBe(approverId);
    expect(await page.getByTestId("channel").textContent()).toBe("#general");
    const channelId = stack.slack.channels.general.id;
    expect(await page.locator("dl.facts").textContent()).not.toContain(channelId);
  });

  it("draws the timeline: one bar per step, the retry and the wait for approval marked", async () => {
    const timeline = page.getByTestId("timeline");
    expect(await timeline.locator("rect.bar").count()).toBe(5);
    expect(
      await timeline
        .locator("rect.bar")
        .evaluateAll((bars) => bars.map((bar) => bar.getAttribute("data-step"))),
    ).toEqual(["1", "2", "3", "4", "5"]);
    expect(await timeline.locator("rect.bar-model").count()).toBe(3);
    expect(await timeline.locator("rect.bar-tool").count()).toBe(2);
    expect(await timeline.locator("rect.wait-retry").count()).toBe(1);
    expect(await timeline.locator("rect.wait-approval").count()).toBe(1);
    expect(await page.getByTestId("usage-chart").locator("rect.usage").count()).toBe(5);
    const box = await timeline.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(400);
    expect(box?.height ?? 0).toBeGreaterThan(5 * 20);
    // Every bar is drawn with some width inside the picture.
    const widths = await timeline
      .locator("rect.bar")
      .evaluateAll((bars) => bars.map((bar) => bar.getBoundingClientRect().width));
    expect(widths.every((width) => width >= 1)).toBe(true);

    await mkdir(path.dirname(screenshotPath), { recursive: true });
    await page.locator("figure.timeline-figure").scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath, fullPage: true });
    const png = await readFile(screenshotPath);
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(png.length).toBeGreaterThan(10_000);
  });

  it("shows the model 429 that was retried", async () => {
    const badge = page.getByTestId("retries");
    expect(await badge.count()).toBe(1);
    expect(await badge.textContent()).toBe("retried 1× (429)");
    await page.locator("#step-1 button.step-toggle").click();
    const retry = page.locator("#step-1-body").getByTestId("retry-row");
    await retry.waitFor();
    expect(await retry.textContent()).toContain("429");
    expect(await page.getByTestId("totals").textContent()).toContain("1 model retry");
  });

  it("expands a tool call: arguments, result, the ledger's full result and the approval", async () => {
    const toolStep = page.locator("#step-4");
    expect(await toolStep.getByTestId("approval").textContent()).toMatch(
      new RegExp(`^approved by ${approverName} at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC$`),
    );
    const body = page.locator("#step-4-body");
    expect(await body.isVisible()).toBe(false);
    const toggle = toolStep.locator("button.step-toggle");
    await toggle.click();
    await body.waitFor({ state: "visible" });
    expect(await toggle.getAttribute("aria-expanded")).toBe("true");
    expect(await body.getByTestId("tool-arguments").textContent()).toContain('"channel": "#general"');
    expect(await body.getByTestId("tool-result").textContent()).toBe("sent to #general");
    await body.getByRole("button", { name: "Show full result" }).click();
    await expect.poll(() => body.locator("pre[data-loaded]").textContent()).toBe("sent to #general");
    expect(await body.textContent()).toContain(`approved by ${approverName}`);
    // And the approvals table says who and when.
    const row = page.getByTestId("approval-row");
    expect(await row.textContent()).toContain("send_note");
    expect(await row.textContent()).toContain(approverName);
    expect(await row.textContent()).not.toContain(approverId);
    await toggle.click();
    expect(await body.isVisible()).toBe(false);
  });

  it("loads a clipped tool output's whole artifact on demand", async () => {
    const body = page.locator("#step-2-body");
    await page.locator("#step-2 button.step-toggle").click();
    expect(await body.getByTestId("tool-result").textContent()).toContain(
      "The whole output is artifact art_",
    );
    await body.getByRole("button", { name: "Show whole output" }).click();
    const whole = body.locator("pre[data-load*='/artifacts/']");
    await expect.poll(() => whole.getAttribute("data-loaded")).toBe("done");
    expect(await whole.textContent()).toContain("Forecast for Oslo:");
    expect(await whole.textContent()).toContain("15:00 4°C");
  });

  it("ran without script errors or blocked resources", () => {
    expect(pageProblems).toEqual([]);
  });
});
