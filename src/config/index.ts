import { existsSync } from "node:fs";
import { z } from "zod";

/**
 * All configuration, parsed once with zod. Nothing else in src/ reads process.env: entry points call
 * `loadConfig()` and pass the result down; tests call `parseConfig({...})` with explicit values.
 */

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const url = (example: string) =>
  z.url({ message: `must be a URL, e.g. ${example}` }).transform((value) => value.trim());

const integer = (fallback: number, min = 0) =>
  z.coerce
    .number({ message: "must be a whole number" })
    .int("must be a whole number")
    .min(min, `must be at least ${min}`)
    .default(fallback);

/** How to fix a missing required variable. */
const requiredHints: Record<string, string> = {
  DATABASE_URL: "the Postgres URL, e.g. postgresql://user:password@localhost:5432/coworker",
  REDIS_URL: "the Redis URL, e.g. redis://localhost:6379",
  SLACK_SIGNING_SECRET: "your Slack app's Signing Secret (Basic Information page)",
  ENCRYPTION_KEY: "32+ random characters, e.g. the output of `openssl rand -base64 32`",
};

export const roles = ["web", "worker", "scheduler", "all"] as const;
export type Role = (typeof roles)[number];

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    ROLE: z.enum(roles, { message: `must be one of ${roles.join(", ")}` }).default("all"),
    PORT: integer(3000),
    HOST: z.string().default("0.0.0.0"),
    PUBLIC_URL: optionalText.pipe(url("https://coworker.example.com").optional()),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

    DATABASE_URL: url("postgresql://user:password@localhost:5432/coworker"),
    REDIS_URL: url("redis://localhost:6379"),
    QUEUE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, _ and - only")
      .default("coworker"),

    SLACK_BOT_TOKEN: optionalText,
    SLACK_SIGNING_SECRET: z.string().min(1, "is required: the app's Signing Secret (Basic Information)"),
    SLACK_APP_TOKEN: optionalText,
    SLACK_API_URL: url("https://slack.com/api/").default("https://slack.com/api/"),
    SLACK_CLIENT_ID: optionalText,
    SLACK_CLIENT_SECRET: optionalText,
    SLACK_COMMAND: z.string().startsWith("/", "must start with /").default("/coworker"),

    LLM_PROVIDER: z.enum(["openai", "anthropic"]).default("openai"),
    LLM_BASE_URL: optionalText.pipe(url("https://api.openai.com/v1").optional()),
    LLM_API_KEY: optionalText,
    LLM_MODEL: optionalText,
    LLM_FALLBACK_MODEL: optionalText,
    LLM_TIMEOUT_MS: integer(120_000, 1000),
    LLM_MAX_RETRIES: integer(5),
    LLM_CONTEXT_WINDOW: integer(128_000, 4096),

    ENCRYPTION_KEY: z
      .string()
      .regex(
        /^[A-Za-z0-9+/=_-]{32,}$/,
        "must be at least 32 random characters (e.g. `openssl rand -base64 32`)",
      ),

    WORKER_CONCURRENCY: integer(20, 1),
    SHUTDOWN_GRACE_MS: integer(25_000, 0),
    RUN_MAX_STEPS: integer(40, 1),
    RUN_MAX_TOKENS: integer(2_000_000, 1000),
    RUN_MAX_COST_USD: z.coerce.number().positive().default(5),
    RUN_MAX_WALL_MS: integer(4 * 60 * 60 * 1000, 1000),
  })
  .superRefine((value, context) => {
    if (value.SLACK_CLIENT_ID && !value.SLACK_CLIENT_SECRET) {
      context.addIssue({
        code: "custom",
        path: ["SLACK_CLIENT_SECRET"],
        message: "is required when SLACK_CLIENT_ID is set (OAuth installs)",
      });
    }
    if (value.LLM_PROVIDER === "anthropic" && value.LLM_MODEL && !value.LLM_API_KEY) {
      context.addIssue({
        code: "custom",
        path: ["LLM_API_KEY"],
        message: "is required for LLM_PROVIDER=anthropic",
      });
    }
  });

type Environment = z.infer<typeof schema>;

export interface Config {
  environment: Environment["NODE_ENV"];
  role: Role;
  http: { port: number; host: string; publicUrl: string };
  logLevel: Environment["LOG_LEVEL"];
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  slack: {
    botToken: string | undefined;
    signingSecret: string;
    appToken: string | undefined;
    apiUrl: string;
    clientId: string | undefined;
    clientSecret: string | undefined;
    command: string;
  };
  /** Undefined when no model is configured: the coworker still starts and says what to set. */
  model:
    | {
        provider: Environment["LLM_PROVIDER"];
        baseUrl: string | undefined;
        apiKey: string | undefined;
        name: string;
        fallback: string | undefined;
        timeoutMs: number;
        maxRetries: number;
        contextWindow: number;
      }
    | undefined;
  encryptionKey: string;
  worker: { concurrency: number; shutdownGraceMs: number };
  budgets: { maxSteps: number; maxTokens: number; maxCostUsd: number; maxWallMs: number };
}

/** Every problem with the environment, listed at once. */
export class ConfigError extends Error {
  readonly code = "config_invalid";
  constructor(readonly problems: string[]) {
    super(
      `Configuration is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((problem) => `  - ${problem}`).join("\n") +
        "\nSet these in the environment or in .env (see .env.example for every variable).",
    );
    this.name = "ConfigError";
  }
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join(".") || "environment";
        const missing = issue.code === "invalid_type" && env[name] === undefined;
        const message = missing ? `is required: ${requiredHints[name] ?? "see .env.example"}` : issue.message;
        return `${name} ${message}`;
      }),
    );
  }
  const value = parsed.data;
  return {
    environment: value.NODE_ENV,
    role: value.ROLE,
    http: {
      port: value.PORT,
      host: value.HOST,
      publicUrl: value.PUBLIC_URL ?? `http://localhost:${value.PORT}`,
    },
    logLevel: value.LOG_LEVEL,
    databaseUrl: value.DATABASE_URL,
    redisUrl: value.REDIS_URL,
    queuePrefix: value.QUEUE_PREFIX,
    slack: {
      botToken: value.SLACK_BOT_TOKEN,
      signingSecret: value.SLACK_SIGNING_SECRET,
      appToken: value.SLACK_APP_TOKEN,
      apiUrl: value.SLACK_API_URL.endsWith("/") ? value.SLACK_API_URL : `${value.SLACK_API_URL}/`,
      clientId: value.SLACK_CLIENT_ID,
      clientSecret: value.SLACK_CLIENT_SECRET,
      command: value.SLACK_COMMAND,
    },
    model: value.LLM_MODEL
      ? {
          provider: value.LLM_PROVIDER,
          baseUrl: value.LLM_BASE_URL,
          apiKey: value.LLM_API_KEY,
          name: value.LLM_MODEL,
          fallback: value.LLM_FALLBACK_MODEL,
          timeoutMs: value.LLM_TIMEOUT_MS,
          maxRetries: value.LLM_MAX_RETRIES,
          contextWindow: value.LLM_CONTEXT_WINDOW,
        }
      : undefined,
    encryptionKey: value.ENCRYPTION_KEY,
    worker: { concurrency: value.WORKER_CONCURRENCY, shutdownGraceMs: value.SHUTDOWN_GRACE_MS },
    budgets: {
      maxSteps: value.RUN_MAX_STEPS,
      maxTokens: value.RUN_MAX_TOKENS,
      maxCostUsd: value.RUN_MAX_COST_USD,
      maxWallMs: value.RUN_MAX_WALL_MS,
    },
  };
}

/** The process environment (plus `.env` if present; real variables win): the one place that reads it. */
export function environment(envFile = ".env"): Record<string, string | undefined> {
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return { ...process.env };
}

export function loadConfig(env: Record<string, string | undefined> = environment()): Config {
  return parseConfig(env);
}
