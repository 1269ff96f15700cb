import { describe, expect, it } from "vitest";
import { configuredRedactor } from "../../src/observability/secrets.js";
import { redactingFetch } from "../../src/slack/redacting-fetch.js";
import { testConfig } from "../support/stack.js";

/**
 * The one redaction list (docs/security.md, "Redaction"): built once from the configuration, it holds
 * the database and Redis passwords, ADMIN_PASSWORD and METRICS_TOKEN besides the configured tokens,
 * and the Slack transport applies it to every field a person reads while leaving credentials and
 * signed values intact.
 */
const secrets = {
  database: "db-password-7f3a9c21",
  redis: "redis-password-5b8e0d44",
  admin: "admin-password-91c2e7f0",
  metrics: "metrics-token-3d6a8b12",
  model: "model-key-without-a-known-shape-77",
};

const config = testConfig({
  DATABASE_URL: `postgresql://coworker:${secrets.database}@db.internal:5432/coworker`,
  REDIS_URL: `redis://:${secrets.redis}@redis.internal:6379/0`,
  ADMIN_PASSWORD: secrets.admin,
  METRICS_TOKEN: secrets.metrics,
  LLM_API_KEY: secrets.model,
  LLM_MODEL: "some-model",
});
const everything = Object.values(secrets).join(" | ");

describe("the redaction list", () => {
  it("removes the database and Redis passwords, ADMIN_PASSWORD and METRICS_TOKEN", () => {
    const redact = configuredRedactor(config);
    const redacted = redact(`failure: ${everything}`);
    for (const secret of Object.values(secrets)) expect(redacted).not.toContain(secret);
    expect(redacted).toBe(`failure: ${Array(5).fill("[redacted]").join(" | ")}`);
  });

  it("is applied to every Slack write, field by field, keeping credentials and signed values", async () => {
    const sent: Array<{ url: string; body: string }> = [];
    const base = (async (url: string | URL, init?: { body?: unknown }) => {
      sent.push({ url: String(url), body: String(init?.body) });
      return new Response("{}", { status: 200 });
    }) as never;
    const fetch = redactingFetch(configuredRedactor(config), base);
    const signed = `sk-${"A".repeat(40)}`;
    const form = new URLSearchParams({
      token: "xoxb-kept-as-is-0000000000",
      channel: "C1",
      text: `Oops: ${everything}`,
      blocks: JSON.stringify([
        { type: "section", text: { type: "mrkdwn", text: `see ${secrets.admin}` } },
        { type: "actions", elements: [{ type: "button", action_id: "approval.approve", value: signed }] },
      ]),
    });
    await fetch("http://slack.test/api/chat.postMessage", { method: "POST", body: form.toString() });
    await fetch("http://slack.test/response/abc", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text: `metrics ${secrets.metrics}`, response_type: "ephemeral" }),
    });

    const posted = new URLSearchParams(sent[0]!.body);
    expect(posted.get("token")).toBe("xoxb-kept-as-is-0000000000");
    expect(posted.get("text")).toBe(`Oops: ${Array(5).fill("[redacted]").join(" | ")}`);
    const blocks = JSON.parse(posted.get("blocks")!) as Array<Record<string, unknown>>;
    expect(JSON.stringify(blocks[0])).toContain("see [redacted]");
    expect(JSON.stringify(blocks[1])).toContain(signed);
    expect(JSON.parse(sent[1]!.body)).toEqual({ text: "metrics [redacted]", response_type: "ephemeral" });
    for (const request of sent) {
      for (const secret of Object.values(secrets)) expect(request.body).not.toContain(secret);
    }
  });
});
