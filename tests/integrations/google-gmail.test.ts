import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toolDefinitions } from "../../src/harness/definitions.js";
import { googleTools } from "../../src/tools/google/index.js";
import { connectGoogle, runTool, toolContext, toolNamed } from "./support/google.js";
import { type IntegrationStack, startIntegrationStack } from "./support/stack.js";

/** The Gmail tools on the real googleapis client against the Google stand-in. */
describe("Gmail tools", () => {
  let stack: IntegrationStack;
  let alice: string;
  const email = "alice@example.com";

  beforeAll(async () => {
    stack = await startIntegrationStack();
    alice = stack.slack.users.alice.id;
    await connectGoogle(stack, alice, email, ["mail"]);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("offers every tool to the model with a JSON schema", () => {
    const definitions = toolDefinitions(googleTools(stack.integration));
    expect(definitions.map((definition) => definition.name)).toHaveLength(12);
    const send = definitions.find((definition) => definition.name === "gmail_send");
    expect(send?.parameters).toMatchObject({
      type: "object",
      required: expect.arrayContaining(["to", "body"]),
    });
  });

  it("searches across pages and lists sender, subject and snippet", async () => {
    for (let index = 0; index < 130; index += 1) {
      stack.google.addMail(email, {
        from: `vendor${index}@example.com`,
        to: email,
        subject: `Invoice ${index}`,
        text: `Amount due: ${index} EUR`,
        date: Date.UTC(2025, 0, 1) + index * 60_000,
      });
    }
    const start = stack.google.requests.length;
    const result = await runTool(
      stack,
      "gmail_search",
      { query: "subject:invoice", maxResults: 120 },
      toolContext(stack, alice),
    );
    expect(result.untrusted).toBe(true);
    expect(result.content).toMatch(/^120 message\(s\) \(about 130 match/);
    expect(result.content).toContain("Subject: Invoice 129");
    expect(result.content).toContain("from vendor129@example.com");
    expect(result.content).toContain("Amount due: 129 EUR");
    const lists = stack.google.requests
      .slice(start)
      .filter((request) => request.path === "/gmail/v1/users/me/messages");
    expect(lists.map((request) => request.query.get("maxResults"))).toEqual(["100", "20"]);
    expect(lists[1]!.query.get("pageToken")).toBe("100");
  });

  it("reads a message: plain text preferred, HTML turned to text, attachments listed", async () => {
    const mixed = stack.google.addMail(email, {
      from: "Ana <ana@example.com>",
      to: email,
      subject: "Q3 plan",
      text: "Plain version of the plan",
      html: "<p>HTML version</p>",
      attachments: [{ filename: "plan.pdf", mimeType: "application/pdf", content: "%PDF-1.4 fake" }],
    });
    const htmlOnly = stack.google.addMail(email, {
      from: "news@example.com",
      to: email,
      subject: "Newsletter",
      html: "<html><head><style>p{}</style></head><body><h1>Big news</h1><p>We <b>shipped</b> it.</p><script>x()</script></body></html>",
    });
    const first = await runTool(stack, "gmail_read", { messageId: mixed.id }, toolContext(stack, alice));
    expect(first.content).toContain("From: Ana <ana@example.com>");
    expect(first.content).toContain("Plain version of the plan");
    expect(first.content).not.toContain("HTML version");
    expect(first.content).toMatch(/- plan\.pdf \(application\/pdf, 13 bytes, part 1, attachmentId \S+\)/);
    const second = await runTool(stack, "gmail_read", { messageId: htmlOnly.id }, toolContext(stack, alice));
    expect(second.content).toContain("# Big news");
    expect(second.content).toContain("We **shipped** it.");
    expect(second.content).not.toContain("x()");
  });

  it("reads a whole thread, and explains an unknown id", async () => {
    const opening = stack.google.addMail(email, {
      from: "bob@example.com",
      to: email,
      subject: "Lunch?",
      text: "Tuesday?",
    });
    stack.google.addMail(email, {
      from: email,
      to: "bob@example.com",
      subject: "Re: Lunch?",
      text: "Sure",
      threadId: opening.threadId,
      labelIds: ["SENT"],
    });
    const thread = await runTool(
      stack,
      "gmail_read",
      { threadId: opening.threadId },
      toolContext(stack, alice),
    );
    expect(thread.content).toContain("2 message(s)");
    expect(thread.content.indexOf("Tuesday?")).toBeLessThan(thread.content.indexOf("Sure"));
    const missing = await runTool(stack, "gmail_read", { messageId: "nope" }, toolContext(stack, alice));
    expect(missing).toMatchObject({ isError: true });
    expect(missing.content).toContain("not found");
  });

  it("drafts a reply in the original thread with reply headers", async () => {
    const original = stack.google.addMail(email, {
      from: "carol@example.com",
      to: email,
      subject: "Contract",
      text: "Can you confirm?",
      messageId: "<contract-1@example.com>",
    });
    const context = toolContext(stack, alice);
    const result = await runTool(
      stack,
      "gmail_create_draft",
      { to: ["carol@example.com"], body: "Confirmed, thanks!", replyToMessageId: original.id },
      context,
    );
    expect(result.content).toMatch(/^Draft \S+ created/);
    const draft = stack.google.account(email).mail.find((mail) => mail.labelIds.includes("DRAFT"))!;
    expect(draft.threadId).toBe(original.threadId);
    const raw = draft.raw!;
    expect(raw).toContain("Subject: Re: Contract");
    expect(raw).toContain("In-Reply-To: <contract-1@example.com>");
    expect(raw).toContain("References: <contract-1@example.com>");
    expect(raw).toMatch(/X-Coworker-Key: [0-9a-f]{40}/);
    expect(Buffer.from(raw.split("\r\n\r\n")[1]!, "base64").toString("utf8")).toBe("Confirmed, thanks!");
    // Reconciling the same call finds the draft; another call does not.
    const tool = toolNamed(stack, "gmail_create_draft");
    const input = tool.input.parse({ to: ["carol@example.com"], body: "x", replyToMessageId: original.id });
    expect((await tool.reconcile!(input, context))?.content).toContain(draft.id);
    expect(await tool.reconcile!(input, toolContext(stack, alice))).toBeUndefined();
  });

  it("sends a mail once, and finds it again by its key after a crash", async () => {
    const context = toolContext(stack, alice);
    const input = { to: ["Zoë <zoe@example.com>"], subject: "Grüße", body: "Hallo Zoë" };
    const result = await runTool(stack, "gmail_send", input, context);
    expect(result.content).toMatch(/^Sent "Grüße" to Zoë <zoe@example.com> \(message \S+, thread \S+\)\./);
    const sent = stack.google.sent(email);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.headers.subject).toBe("Grüße");
    expect(sent[0]!.headers.to).toBe("Zoë <zoe@example.com>");
    const raw = stack.google.account(email).mail.find((mail) => mail.id === sent[0]!.id)!.raw!;
    expect(raw).toContain("To: =?UTF-8?B?Wm/Dqw==?= <zoe@example.com>");
    expect(raw).toContain("Subject: =?UTF-8?B?R3LDvMOfZQ==?=");
    expect(sent[0]!.body).toBe("Hallo Zoë");

    const tool = toolNamed(stack, "gmail_send");
    const found = await tool.reconcile!(tool.input.parse(input), context);
    expect(found?.content).toContain(`message ${sent[0]!.id}`);
    expect(await tool.reconcile!(tool.input.parse(input), toolContext(stack, alice))).toBeUndefined();
    expect(stack.google.sent(email)).toHaveLength(1);
  });

  it("sends a reply and removes the draft it replaces", async () => {
    const original = stack.google.addMail(email, {
      from: "dan@example.com",
      to: email,
      subject: "Offer",
      text: "?",
    });
    const draft = await runTool(
      stack,
      "gmail_create_draft",
      { to: ["dan@example.com"], body: "Yes", replyToMessageId: original.id },
      toolContext(stack, alice),
    );
    const draftId = /^Draft (\S+) created/.exec(draft.content)![1]!;
    const result = await runTool(
      stack,
      "gmail_send",
      { to: ["dan@example.com"], body: "Yes", replyToMessageId: original.id, draftId },
      toolContext(stack, alice),
    );
    expect(result.content).toContain(`Draft ${draftId} was removed.`);
    expect(stack.google.account(email).drafts.has(draftId)).toBe(false);
    const sent = stack.google.sent(email).at(-1)!;
    expect(sent.threadId).toBe(original.threadId);
    expect(sent.headers.subject).toBe("Re: Offer");
  });

  it("waits out quota errors (429, 403 userRateLimitExceeded) honouring Retry-After", async () => {
    stack.waits.length = 0;
    stack.google.fail({ path: /\/messages$/, status: 429, retryAfterSeconds: 3 });
    stack.google.fail({ path: /\/messages$/, status: 403, reason: "userRateLimitExceeded" });
    const result = await runTool(
      stack,
      "gmail_search",
      { query: "subject:contract" },
      toolContext(stack, alice),
    );
    expect(result.content).toContain("Subject: Contract");
    expect(stack.waits).toHaveLength(2);
    expect(stack.waits[0]).toBeGreaterThanOrEqual(3000);
    expect(stack.waits[1]).toBeGreaterThanOrEqual(2000);
  });

  it("gives up after repeated quota errors with a message the model can act on", async () => {
    stack.google.fail({ path: /\/messages$/, status: 429, times: 5 });
    const result = await runTool(stack, "gmail_search", { query: "x" }, toolContext(stack, alice));
    expect(result).toMatchObject({ isError: true });
    expect(result.content).toContain("Google is limiting how fast I can call it");
  });

  it("never repeats a send after a 5xx unless it can tell it did not happen", async () => {
    const before = stack.google.sent(email).length;
    stack.google.fail({ method: "POST", path: /\/messages\/send$/, status: 503 });
    const start = stack.google.requests.length;
    const result = await runTool(
      stack,
      "gmail_send",
      { to: ["eve@example.com"], subject: "Hi", body: "Hello" },
      toolContext(stack, alice),
    );
    expect(result).toMatchObject({ isError: true });
    expect(result.content).toContain("Google had a problem (HTTP 503");
    const sends = stack.google.requests
      .slice(start)
      .filter((request) => request.path.endsWith("/messages/send"));
    expect(sends).toHaveLength(1);
    expect(stack.google.sent(email)).toHaveLength(before);
    expect(stack.google.errors).toEqual([]);
  });
});
