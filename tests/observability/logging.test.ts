import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { secretsToRedact } from "../../src/observability/secrets.js";
import { testConfig } from "../support/stack.js";

/**
 * Structured logs keep secrets out, by configuration: the configured secret values and well-known token
 * shapes are removed from whole lines (messages, stacks, any field), and fields named like secrets are
 * censored at any depth. Run context travels in child loggers' fields.
 */
function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, sink };
}

const config = testConfig({
  DATABASE_URL: "postgresql://coworker:db-password-0000000@db.internal:5432/coworker",
  SLACK_BOT_TOKEN: "xoxb-0000000000-1111111111-configuredbottoken",
  SLACK_SIGNING_SECRET: "signing-secret-abcdef0123456789",
  LLM_API_KEY: "model-key-that-has-no-known-shape-42",
  LLM_MODEL: "some-model",
});

describe("log redaction", () => {
  it("finds the secrets in the configuration, URL passwords included", () => {
    const secrets = secretsToRedact(config, ["an-admin-password"]);
    expect(secrets).toEqual(
      expect.arrayContaining([
        "xoxb-0000000000-1111111111-configuredbottoken",
        "signing-secret-abcdef0123456789",
        "model-key-that-has-no-known-shape-42",
        config.encryptionKey,
        "db-password-0000000",
        "an-admin-password",
      ]),
    );
  });

  it("lets no token through, in any field or message", () => {
    const { lines, sink } = capture();
    const secrets = secretsToRedact(config, ['quote"and\\backslash-password']);
    const logger = createLogger("trace", sink, { secrets });
    const slackToken = "xoxb-0000000000-1111111111-configuredbottoken";
    const unknownShape = "model-key-that-has-no-known-shape-42";
    const openAiKey = "sk-proj-abcdefghijklmnopqrstuvwxyz012345";
    const anthropicKey = "sk-ant-api03-abcdefghijklmnopqrstuvwxyz";
    const googleToken = "ya29.a0AfH6SMBabcdefghijklmnopqrstuvwxyz";
    const userToken = "xoxp-9999999999-8888888888-usertokenvalue";
    const bearer = "Bearer abcdefghijklmnopqrstuvwxyz0123456789";
    const runLogger = logger.child({
      workspaceId: "T1",
      taskId: "task-1",
      runId: "run-1",
      apiKey: unknownShape,
    });
    const stepLogger = runLogger.child({ step: 3, tool: "fetch_url" });

    stepLogger.info({ token: "plain-token-value-000" }, "top-level token field");
    stepLogger.info(
      { request: { headers: { Authorization: bearer, cookie: "session=abcdef0123456789" } } },
      "nested",
    );
    stepLogger.info({ accounts: [{ refreshToken: "1//0abcdefghijklmnopqrstuvwxyz0123456789" }] }, "arrays");
    stepLogger.info({ note: `the key is ${unknownShape}` }, "a configured value in a harmless field");
    stepLogger.warn(`posting with ${slackToken} failed`);
    stepLogger.warn("formatted %s and %o", userToken, { key: openAiKey });
    stepLogger.error({ err: new Error(`401 from provider for ${anthropicKey}`) }, "model call failed");
    stepLogger.error({ error: `google said no to ${googleToken}` }, "google");
    stepLogger.info({ databaseUrl: config.databaseUrl }, "connecting");
    stepLogger.info({ config }, "the whole configuration");
    stepLogger.info({ escaped: 'quote"and\\backslash-password' }, "json-escaped secret");
    stepLogger.info({ inputTokens: 1200, outputTokens: 30 }, "usage stays");

    const output = lines.join("");
    expect(lines).toHaveLength(12);
    for (const secret of [
      "plain-token-value-000",
      slackToken,
      unknownShape,
      openAiKey,
      anthropicKey,
      googleToken,
      userToken,
      "abcdefghijklmnopqrstuvwxyz0123456789",
      "session=abcdef0123456789",
      "1//0abcdefghijklmnopqrstuvwxyz0123456789",
      "db-password-0000000",
      config.encryptionKey,
      "signing-secret-abcdef0123456789",
      "backslash-password",
    ]) {
      expect(output).not.toContain(secret);
    }
    expect(output).toContain("[redacted]");
    // Everything else is kept, and every line carries the run's context.
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const line of parsed) {
      expect(line).toMatchObject({
        workspaceId: "T1",
        taskId: "task-1",
        runId: "run-1",
        step: 3,
        tool: "fetch_url",
      });
    }
    expect(parsed[0]).toMatchObject({ msg: "top-level token field", token: "[redacted]" });
    expect(parsed.at(-1)).toMatchObject({ inputTokens: 1200, outputTokens: 30 });
    expect(parsed[8]).toMatchObject({
      databaseUrl: "postgresql://coworker:[redacted]@db.internal:5432/coworker",
    });
    expect(String(parsed[6]!.msg)).toBe("model call failed");
    expect(JSON.stringify(parsed[6]!.err)).toContain("401 from provider for [redacted]");
  });

  it("removes well-known token shapes even when no secrets are configured", () => {
    const { lines, sink } = capture();
    const logger = createLogger("info", sink);
    logger.info({ detail: "token xoxb-1234567890-abcdefghijkl" }, "Bearer abcdefghijklmnopqrstuvwx was used");
    expect(lines.join("")).not.toContain("xoxb-1234567890");
    expect(lines.join("")).not.toContain("abcdefghijklmnopqrstuvwx");
  });
});
