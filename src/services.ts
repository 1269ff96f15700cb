import { Redis } from "ioredis";
import type { Config } from "./config/index.js";
import type { HarnessServices } from "./harness/loop.js";
import { createModel } from "./harness/model/index.js";
import type { Model } from "./harness/model/model.js";
import { createLogger, type Logger } from "./logger.js";
import { createMetrics, type Metrics } from "./observability/metrics.js";
import { configuredRedactor, secretsToRedact } from "./observability/secrets.js";
import { slackRateLimitListener } from "./observability/slack-rate-limits.js";
import { startTracing, type Tracing } from "./observability/tracing.js";
import { redisConnection } from "./queue/connection.js";
import { createQueues, type Queues } from "./queue/queues.js";
import type { Redactor } from "./security/redact.js";
import { createSealer, type Sealer } from "./security/seal.js";
import { deriveKey } from "./security/signing.js";
import { createSlackClients, type SlackClients } from "./slack/clients.js";
import { workspaceInstallations } from "./slack/install.js";
import type { WorkspaceInstallationStore } from "./slack/installations.js";
import { createDatabase, type Database } from "./storage/database.js";

/**
 * The composition root: every long-lived dependency is made here, once per process, and passed down.
 * Tests build the same object with their own configuration (and may swap the model).
 */
export interface Services {
  config: Config;
  logger: Logger;
  database: Database;
  queues: Queues;
  /** For pub/sub and health checks (BullMQ keeps its own connections). */
  redis: Redis;
  slack: SlackClients;
  /** Bot tokens per workspace: OAuth installs (sealed in Postgres) and the configured token. */
  installations: WorkspaceInstallationStore;
  model: Model | undefined;
  keys: { approvals: Buffer; links: Buffer; oauthState: Buffer };
  /** Encrypts secrets at rest. */
  sealer: Sealer;
  /** Prometheus metrics of this process (src/observability/metrics.ts). */
  metrics: Metrics;
  /** OpenTelemetry tracing (a no-op tracer unless OTEL_EXPORTER_OTLP_ENDPOINT is set). */
  tracing: Tracing;
  /** Removes configured secrets and token-shaped strings from traces, exports, the viewer and Slack posts. */
  redact: Redactor;
  now(): number;
  close(): Promise<void>;
}

export function createServices(
  config: Config,
  overrides: Partial<Pick<Services, "model" | "logger" | "now" | "metrics">> = {},
): Services {
  // One list of secrets for every redactor: logs, traces, export, the viewer and Slack posts.
  const secrets = secretsToRedact(config);
  const redact = configuredRedactor(config);
  const logger = overrides.logger ?? createLogger(config.logLevel, undefined, { secrets });
  const metrics = overrides.metrics ?? createMetrics();
  const database = createDatabase(config.databaseUrl);
  const connection = redisConnection(config.redisUrl);
  const tracing = startTracing(config.telemetry);
  const queues = createQueues(connection, config.queuePrefix, tracing.queue);
  const redis = new Redis({ ...connection, lazyConnect: false });
  redis.on("error", (error) => logger.warn({ error: error.message }, "redis connection error"));
  const sealer = createSealer(deriveKey(config.encryptionKey, "seal"));
  const keys = {
    approvals: deriveKey(config.encryptionKey, "approvals"),
    links: deriveKey(config.encryptionKey, "links"),
    oauthState: deriveKey(config.encryptionKey, "oauth-state"),
  };
  const installations = workspaceInstallations({ config, database, sealer, logger, keys });
  const model = "model" in overrides ? overrides.model : config.model ? createModel(config.model) : undefined;
  return {
    config,
    logger,
    database,
    queues,
    redis,
    slack: createSlackClients({
      apiUrl: config.slack.apiUrl,
      botToken: config.slack.botToken,
      database,
      unseal: sealer.unseal,
      onRateLimited: slackRateLimitListener(metrics),
      installations: config.slack.clientId ? installations : undefined,
      redact,
    }),
    installations,
    model,
    keys,
    sealer,
    metrics,
    redact,
    tracing,
    now: overrides.now ?? Date.now,
    async close() {
      await tracing.flush().catch(() => undefined);
      await queues.close();
      redis.disconnect();
      await database.$disconnect();
    },
  };
}

export type { HarnessServices };
