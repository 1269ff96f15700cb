import { existsSync } from "node:fs";
import { z } from "zod";
import type { GoogleSettings } from "../integrations/google/settings.js";

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

/** US dollars per million tokens. */
const price = z.coerce
  .number({ message: "must be a number of dollars per million tokens" })
  .min(0)
  .default(0);

/** A comma-separated list. */
const list = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean),
  );

const flag = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", "yes", "no", ""], { message: "must be true or false" })
    .optional()
    .transform((value) =>
      value === undefined || value === "" ? fallback : ["true", "1", "yes"].includes(value),
    );

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
    LLM_INPUT_PRICE: price,
    LLM_CACHED_INPUT_PRICE: price,
    LLM_OUTPUT_PRICE: price,

    ENCRYPTION_KEY: z
      .string()
      .regex(
        /^[A-Za-z0-9+/=_-]{32,}$/,
        "must be at least 32 random characters (e.g. `openssl rand -base64 32`)",
      ),

    WEB_ALLOW_HOSTS: list,
    WEB_ALLOW_CIDRS: list,
    WEB_SEARCH_API_KEY: optionalText,
    WEB_SEARCH_BASE_URL: optionalText.pipe(url("https://api.search.brave.com/res/v1").optional()),
    SANDBOX_ENABLED: flag(true),
    SANDBOX_ROOT: optionalText,
    SANDBOX_NETWORK: flag(false),
    SANDBOX_MEMORY_MB: integer(3072, 64),
    SANDBOX_PROCESSES: integer(128, 8),
    SANDBOX_CPUS: z.coerce.number({ message: "must be a number of cores" }).min(0.05).default(1),
    SANDBOX_WORKSPACE_MB: integer(1024, 8),
    SANDBOX_CGROUPS: flag(true),
    SANDBOX_DISK_QUOTA: z.enum(["volume", "accounting"]).default("volume"),

    GOOGLE_CLIENT_ID: optionalText,
    GOOGLE_CLIENT_SECRET: optionalText,
    GOOGLE_REDIRECT_URL: optionalText.pipe(
      url("https://coworker.example.com/oauth/google/callback").optional(),
    ),
    GOOGLE_API_ROOT_URL: optionalText.pipe(url("https://www.googleapis.com/").optional()),
    GOOGLE_OAUTH_AUTHORIZE_URL: optionalText.pipe(
      url("https://accounts.google.com/o/oauth2/v2/auth").optional(),
    ),
    GOOGLE_OAUTH_TOKEN_URL: optionalText.pipe(url("https://oauth2.googleapis.com/token").optional()),
    GOOGLE_OAUTH_REVOKE_URL: optionalText.pipe(url("https://oauth2.googleapis.com/revoke").optional()),
    MCP_CONNECT_TIMEOUT_MS: integer(15_000, 100),
    MCP_CALL_TIMEOUT_MS: integer(60_000, 100),

    WORKER_CONCURRENCY: integer(20, 1),
    SHUTDOWN_GRACE_MS: integer(25_000, 0),
    RUN_MAX_STEPS: integer(40, 1),
    RUN_MAX_TOKENS: integer(2_000_000, 1000),
    RUN_MAX_COST_USD: z.coerce.number().positive().default(5),
    RUN_MAX_WALL_MS: integer(4 * 60 * 60 * 1000, 1000),
    MESSAGE_PROMPT_LIMIT: integer(8_000, 1_000),
    RUN_DATA_RETENTION_DAYS: integer(90, 1),
    SLACK_EVENT_RETENTION_MINUTES: integer(60, 10),

    ADMIN_PASSWORD: optionalText.pipe(z.string().min(12, "must be at least 12 characters").optional()),
    ADMIN_ADDRESS_HEADER: optionalText.pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9-]+$/, "a header name, e.g. fly-client-ip")
        .transform((name) => name.toLowerCase())
        .optional(),
    ),
    METRICS_TOKEN: optionalText,
    OTEL_EXPORTER_OTLP_ENDPOINT: optionalText.pipe(url("http://localhost:4318").optional()),
    OTEL_SERVICE_NAME: z.string().min(1).default("coworker"),
    RUN_LINK_LIFETIME_MS: z.coerce
      .number({ message: "must be a whole number" })
      .int("must be a whole number")
      .min(60_000, "must be at least 60000")
      .max(24 * 60 * 60 * 1000, "must be at most a day (86400000)")
      .default(4 * 60 * 60 * 1000),
    METRICS_PORT: z.preprocess(
      (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
      z.coerce.number({ message: "must be a port number" }).int().min(1).max(65535).optional(),
    ),
  })
  .superRefine((value, context) => {
    if (value.SLACK_CLIENT_ID && !value.SLACK_CLIENT_SECRET) {
      context.addIssue({
        code: "custom",
        path: ["SLACK_CLIENT_SECRET"],
        message: "is required when SLACK_CLIENT_ID is set (OAuth installs)",
      });
    }
    if (Boolean(value.GOOGLE_CLIENT_ID) !== Boolean(value.GOOGLE_CLIENT_SECRET)) {
      context.addIssue({
        code: "custom",
        path: [value.GOOGLE_CLIENT_ID ? "GOOGLE_CLIENT_SECRET" : "GOOGLE_CLIENT_ID"],
        message: "is required with the other: GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET go together",
      });
    }
    if (value.SLACK_CLIENT_ID && !value.PUBLIC_URL) {
      context.addIssue({
        code: "custom",
        path: ["PUBLIC_URL"],
        message:
          "is required when SLACK_CLIENT_ID is set: OAuth redirects to PUBLIC_URL/slack/oauth_redirect",
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
  /** "View run" links: sent to the requester only, expiring after this long (revocable). */
  runLinks: { lifetimeMs: number };
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
        /** Dollars per million tokens, for cost budgets and metrics (0 when unknown). */
        prices: { input: number; cachedInput: number; output: number };
      }
    | undefined;
  encryptionKey: string;
  tools: {
    web: {
      allowHosts: string[];
      allowCidrs: string[];
      searchApiKey: string | undefined;
      searchBaseUrl: string | undefined;
    };
    sandbox: {
      enabled: boolean;
      root: string | undefined;
      network: boolean;
      /** Per run (a cgroup where the host allows it) and per workspace (the disk quota). */
      limits: { sandboxMemoryBytes: number; processes: number; cpuCores: number; workspaceBytes: number };
      /** A cgroup per run; off: per-process rlimits only. */
      cgroups: boolean;
      diskQuota: "volume" | "accounting";
    };
  };
  /** Undefined when Google is not configured (no Google tools, no Connect button). */
  google: GoogleSettings | undefined;
  mcp: { connectTimeoutMs: number; callTimeoutMs: number };
  worker: { concurrency: number; shutdownGraceMs: number };
  budgets: { maxSteps: number; maxTokens: number; maxCostUsd: number; maxWallMs: number };
  /** How long run data (default; a workspace may override) and Slack event ids are kept. */
  retention: { runDataDays: number; slackEventMinutes: number };
  /** Characters of one Slack message (mention, reply, earlier thread message, file) shown in the prompt. */
  prompt: { messageLimit: number };
  /**
   * The run list and queue dashboard's password (off when unset), and the header a trusted proxy sets
   * to the client's address (login rate limits are per address; unset: the connection's address).
   */
  admin: { password: string | undefined; addressHeader: string | undefined };
  /** /metrics bearer token (open when unset); a port for /metrics in processes without the web role. */
  metrics: { token: string | undefined; port: number | undefined };
  /** OpenTelemetry traces (OTLP/HTTP, JSON), exported to `endpoint` + /v1/traces; off when unset. */
  telemetry: { endpoint: string | undefined; serviceName: string };
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
    runLinks: { lifetimeMs: value.RUN_LINK_LIFETIME_MS },
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
          prices: {
            input: value.LLM_INPUT_PRICE,
            cachedInput: value.LLM_CACHED_INPUT_PRICE,
            output: value.LLM_OUTPUT_PRICE,
          },
        }
      : undefined,
    encryptionKey: value.ENCRYPTION_KEY,
    tools: {
      web: {
        allowHosts: value.WEB_ALLOW_HOSTS,
        allowCidrs: value.WEB_ALLOW_CIDRS,
        searchApiKey: value.WEB_SEARCH_API_KEY,
        searchBaseUrl: value.WEB_SEARCH_BASE_URL,
      },
      sandbox: {
        enabled: value.SANDBOX_ENABLED,
        root: value.SANDBOX_ROOT,
        network: value.SANDBOX_NETWORK,
        limits: {
          sandboxMemoryBytes: value.SANDBOX_MEMORY_MB * 1024 ** 2,
          processes: value.SANDBOX_PROCESSES,
          cpuCores: value.SANDBOX_CPUS,
          workspaceBytes: value.SANDBOX_WORKSPACE_MB * 1024 ** 2,
        },
        cgroups: value.SANDBOX_CGROUPS,
        diskQuota: value.SANDBOX_DISK_QUOTA,
      },
    },
    google:
      value.GOOGLE_CLIENT_ID && value.GOOGLE_CLIENT_SECRET
        ? {
            clientId: value.GOOGLE_CLIENT_ID,
            clientSecret: value.GOOGLE_CLIENT_SECRET,
            redirectUrl: value.GOOGLE_REDIRECT_URL,
            apiRootUrl: value.GOOGLE_API_ROOT_URL,
            endpoints: {
              authorize: value.GOOGLE_OAUTH_AUTHORIZE_URL,
              token: value.GOOGLE_OAUTH_TOKEN_URL,
              revoke: value.GOOGLE_OAUTH_REVOKE_URL,
            },
          }
        : undefined,
    mcp: { connectTimeoutMs: value.MCP_CONNECT_TIMEOUT_MS, callTimeoutMs: value.MCP_CALL_TIMEOUT_MS },
    worker: { concurrency: value.WORKER_CONCURRENCY, shutdownGraceMs: value.SHUTDOWN_GRACE_MS },
    budgets: {
      maxSteps: value.RUN_MAX_STEPS,
      maxTokens: value.RUN_MAX_TOKENS,
      maxCostUsd: value.RUN_MAX_COST_USD,
      maxWallMs: value.RUN_MAX_WALL_MS,
    },
    retention: {
      runDataDays: value.RUN_DATA_RETENTION_DAYS,
      slackEventMinutes: value.SLACK_EVENT_RETENTION_MINUTES,
    },
    prompt: { messageLimit: value.MESSAGE_PROMPT_LIMIT },
    admin: { password: value.ADMIN_PASSWORD, addressHeader: value.ADMIN_ADDRESS_HEADER },
    metrics: { token: value.METRICS_TOKEN, port: value.METRICS_PORT },
    telemetry: { endpoint: value.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: value.OTEL_SERVICE_NAME },
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
