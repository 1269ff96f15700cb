import { tmpdir } from "node:os";
import { join } from "node:path";
import type { App } from "@slack/bolt";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type SlackEmulator, startSlackEmulator } from "../../src/emulator/index.js";
import { launchBrowser } from "../support/browser.js";
import { webClient } from "./clients.js";
import { type DemoRecord, startDemoApp } from "./ui-app.js";

/**
 * The emulator's web UI in headless Chromium, against a real Bolt app: what a person does in the page
 * reaches the app as real events and interactivity payloads, and what the app does shows up live.
 */
let browser: Browser;
let slack: SlackEmulator;
let app: App;
let record: DemoRecord;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  slack = await startSlackEmulator();
  ({ app, record } = await startDemoApp(slack));
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  // Generous: CI runs this next to other suites on two cores; the waits are for correctness, not speed.
  page.setDefaultTimeout(20_000);
  await page.goto(slack.url);
  await page.locator("body[data-ready]").waitFor();
});
afterEach(async () => {
  await page?.close();
  await app?.stop();
  await slack?.close();
});

const composer = (scope: string) => page.locator(`${scope} .composer-input`);

describe("the emulator's web UI", () => {
  it("sends a typed @-mention, shows the threaded reply, and clicks Approve as another person", async () => {
    await composer("#conversation").pressSequentially("@Coworker please deploy the fix");
    await composer("#conversation").press("Enter");

    const mention = await slack.waitForMessage({ channel: "general", from: "user" });
    expect(mention.text).toBe(`<@${slack.botUserId}> please deploy the fix`);
    expect(mention.user).toBe(slack.users.alice.id);
    await slack.waitFor(() => slack.events("app_mention").length === 1);

    await page.locator(".thread-summary", { hasText: "1 reply" }).click();
    const thread = page.locator("#thread-list");
    await expect.poll(() => thread.locator(".block-header").textContent()).toBe("Deploy request");
    expect(await thread.locator('[data-block-type="section"] strong').first().textContent()).toBe(
      "Approval needed",
    );
    expect(await thread.locator(".block-markdown li").allTextContents()).toEqual([
      "Build the image",
      "Roll out web",
    ]);
    expect(await thread.locator(".block-markdown table td").first().textContent()).toBe("build");
    expect(await thread.locator("button.block-button.primary").textContent()).toBe("Approve");

    // For looking at (not asserted): the approval request as a person sees it.
    await page.screenshot({ path: join(tmpdir(), `emulator-ui-${process.pid}.png`) });

    await page.locator("#user-switch").selectOption(slack.users.bob.id);
    await thread.locator('button[data-action-id="approve"]').click();

    await expect
      .poll(() => thread.locator(".message.from-bot .message-body").first().textContent())
      .toBe("✅ Approved by @bob");
    expect(record.clicks).toEqual([`${slack.users.bob.id}:approve:yes`]);
    const reply = slack.thread("general", mention.ts)[1];
    expect(reply?.text).toBe(`:white_check_mark: Approved by <@${slack.users.bob.id}>`);
  });

  it("asks for confirmation before sending a button with a confirm dialog", async () => {
    await slack.mention({ user: "carol", channel: "general", text: "deploy" });
    const question = await slack.waitForMessage({ channel: "general", from: "bot" });
    await page.locator(".thread-summary").click();
    const deny = page.locator('#thread-list button[data-action-id="deny"]');

    await deny.click();
    const dialog = page.locator("dialog.confirm-dialog");
    expect(await dialog.locator("h2").textContent()).toBe("Deny the deploy?");
    await dialog.getByRole("button", { name: "Keep waiting" }).click();
    await dialog.waitFor({ state: "detached" });
    expect(record.clicks).toEqual([]);

    await deny.click();
    await page.locator("dialog.confirm-dialog").getByRole("button", { name: "Deny it" }).click();
    await slack.waitFor(() => slack.message("general", question.ts)?.text.includes("Denied"));
    expect(record.clicks).toEqual([`${slack.users.alice.id}:deny:no`]);
  });

  it("runs /coworker from the composer, shows the modal with the app's errors, and submits it", async () => {
    await composer("#conversation").fill("/coworker new task");
    await composer("#conversation").press("Enter");
    const modal = page.locator("dialog.modal");
    expect(await modal.locator("h2").textContent()).toBe("New task");
    const command = slack.deliveries.find((delivery) => delivery.kind === "command");
    expect(command?.type).toBe("/coworker");
    expect(new URLSearchParams(command?.body).get("text")).toBe("new task");

    await modal.locator("input.block-input").fill("abc");
    await modal.getByRole("button", { name: "Create" }).click();
    expect(await page.locator("dialog.modal .input-error").textContent()).toBe(
      "Too short: use at least 5 characters",
    );

    await page.locator("dialog.modal input.block-input").fill("Write the report");
    await page.locator("dialog.modal").getByRole("button", { name: "Create" }).click();
    await page.locator("dialog.modal").waitFor({ state: "detached" });
    expect(record.submissions).toEqual(["Write the report"]);
    await page
      .locator("#message-list .message", { hasText: "Task created by @alice: Write the report" })
      .waitFor();
  });

  it("shows the App Home the app publishes, and its buttons act on the view", async () => {
    await page.getByRole("button", { name: "Coworker Home" }).click();
    const home = page.locator("#home");
    expect(await home.locator(".block-header").textContent()).toBe("Coworker");
    await home.locator(".section-body", { hasText: "Refreshed 0 times" }).waitFor();
    await home.getByRole("button", { name: "Refresh" }).click();
    await home.locator(".section-body", { hasText: "Refreshed 1 times" }).waitFor();
    expect(slack.events("app_home_opened").length).toBeGreaterThanOrEqual(1);
    expect(slack.homeView("alice")?.definition).toMatchObject({ type: "home" });
  });

  it("writes to the app in its DM (the Messages tab) and shows its answer", async () => {
    await page.locator("#sidebar").getByRole("button", { name: "Coworker", exact: true }).click();
    await page.getByPlaceholder("Message Coworker").waitFor();
    await composer("#conversation").fill("hello there");
    await composer("#conversation").press("Enter");
    await page.locator("#message-list .message.from-bot", { hasText: "You wrote me: hello there" }).waitFor();
    const dm = slack.dmChannel("alice");
    expect(slack.messages(dm).map((message) => message.text)).toEqual([
      "hello there",
      "You wrote me: hello there",
    ]);
    expect(await page.locator("#tabs .tab.active").textContent()).toBe("Messages");
  });

  it("starts an assistant thread from the app's Messages tab, with the last channel as context", async () => {
    await page.locator("#sidebar").getByRole("button", { name: "Coworker", exact: true }).click();
    await page.getByRole("button", { name: "＋ New chat" }).click();
    await page.locator("#thread-list .message", { hasText: "New assistant thread" }).waitFor();
    await slack.waitFor(() => slack.events("assistant_thread_started").length === 1);
    const event = JSON.parse(slack.events("assistant_thread_started")[0]?.body ?? "{}").event;
    expect(event.assistant_thread).toMatchObject({
      user_id: slack.users.alice.id,
      channel_id: slack.dmChannel("alice").id,
      context: { channel_id: slack.channels.general.id },
    });
  });

  it("shows edits and streamed text as they happen", async () => {
    const client = webClient(slack);
    const posted = await client.chat.postMessage({ channel: slack.channels.general.id, text: "first draft" });
    const body = page.locator(`#message-list [data-ts="${posted.ts}"] .message-body`);
    await expect.poll(() => body.textContent()).toBe("first draft");
    await client.chat.update({
      channel: slack.channels.general.id,
      ts: posted.ts as string,
      text: "final *text*",
    });
    await expect.poll(() => body.textContent()).toBe("final text");
    expect(await page.locator(`[data-ts="${posted.ts}"] .edited`).textContent()).toBe("(edited)");

    const stream = (await client.chat.startStream({
      channel: slack.channels.general.id,
      recipient_user_id: slack.users.alice.id,
      recipient_team_id: slack.teamId,
      markdown_text: "Hello",
    } as never)) as { ts: string };
    const streamed = page.locator(`#message-list [data-ts="${stream.ts}"] .message-body`);
    await expect.poll(() => streamed.textContent()).toBe("Hello");
    expect(await streamed.locator(".stream-cursor").count()).toBe(1);
    await client.chat.appendStream({
      channel: slack.channels.general.id,
      ts: stream.ts,
      markdown_text: " **world**",
    } as never);
    await expect.poll(() => streamed.locator("strong").textContent()).toBe("world");
    await client.chat.stopStream({ channel: slack.channels.general.id, ts: stream.ts } as never);
    await expect.poll(() => streamed.locator(".stream-cursor").count()).toBe(0);
  });

  it("renders what the app and people send as text, never as markup", async () => {
    const client = webClient(slack);
    await client.chat.postMessage({
      channel: slack.channels.general.id,
      text: "unsafe",
      blocks: [
        {
          type: "markdown",
          text: '<img src=x onerror="window.hacked=1"> <script>window.hacked=2</script> [go](javascript:window.hacked=3)',
        },
        {
          type: "section",
          text: { type: "mrkdwn", text: "<javascript:window.hacked=4|click> &lt;b&gt;not bold&lt;/b&gt;" },
        },
      ],
    });
    await composer("#conversation").fill('<img src=y onerror="window.hacked=5"> *really*');
    await composer("#conversation").press("Enter");
    const list = page.locator("#message-list");
    await list.locator(".message", { hasText: "really" }).waitFor();
    await list.locator(".message", { hasText: "not bold" }).waitFor();

    expect(await list.locator("img, script, [onerror]").count()).toBe(0);
    expect(await list.locator('a[href^="javascript"]').count()).toBe(0);
    expect(await list.locator(".block-markdown").textContent()).toContain(
      '<img src=x onerror="window.hacked=1">',
    );
    expect(await list.locator(".block-section").textContent()).toBe("click <b>not bold</b>");
    expect(await page.evaluate(() => (window as unknown as { hacked?: number }).hacked)).toBeUndefined();
    const typed = await slack.waitForMessage({ channel: "general", from: "user" });
    expect(typed.text).toBe('&lt;img src=y onerror="window.hacked=5"&gt; *really*');
  });
});
