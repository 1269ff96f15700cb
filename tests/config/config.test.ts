import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config/index.js";

const valid = {
  DATABASE_URL: "postgresql://u@localhost:5432/db",
  REDIS_URL: "redis://localhost:6379",
  SLACK_SIGNING_SECRET: "secret",
  ENCRYPTION_KEY: "k".repeat(32),
};

describe("configuration", () => {
  it("parses a valid environment with defaults", () => {
    const config = parseConfig(valid);
    expect(config.role).toBe("all");
    expect(config.http.port).toBe(3000);
    expect(config.slack.apiUrl).toBe("https://slack.com/api/");
    expect(config.slack.command).toBe("/coworker");
    expect(config.model).toBeUndefined();
  });

  it("lists every problem at once, each with a way to fix it", () => {
    let caught: unknown;
    try {
      parseConfig({ ROLE: "everything", PORT: "http", REDIS_URL: "not a url", ENCRYPTION_KEY: "short" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    const names = error.problems.map((problem) => problem.split(" ")[0]);
    expect(names).toEqual(
      expect.arrayContaining([
        "ROLE",
        "PORT",
        "DATABASE_URL",
        "REDIS_URL",
        "SLACK_SIGNING_SECRET",
        "ENCRYPTION_KEY",
      ]),
    );
    expect(error.message).toContain("DATABASE_URL is required: the Postgres URL");
    expect(error.message).toContain("PORT must be a whole number");
    expect(error.message).toContain("ROLE must be one of web, worker, scheduler, all");
    expect(error.message).toContain("REDIS_URL must be a URL, e.g. redis://localhost:6379");
    expect(error.message).toContain(".env.example");
  });

  it("configures a model only when LLM_MODEL is set", () => {
    const config = parseConfig({ ...valid, LLM_MODEL: "gpt-test", LLM_BASE_URL: "http://127.0.0.1:9/v1" });
    expect(config.model).toMatchObject({
      provider: "openai",
      name: "gpt-test",
      baseUrl: "http://127.0.0.1:9/v1",
    });
  });

  it("normalizes SLACK_API_URL to end with a slash, as Bolt's client expects", () => {
    expect(parseConfig({ ...valid, SLACK_API_URL: "http://127.0.0.1:4000/api" }).slack.apiUrl).toBe(
      "http://127.0.0.1:4000/api/",
    );
  });
});
