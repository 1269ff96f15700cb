import { loadavg } from "node:os";
import { type Delivery, startSlackEmulator } from "../../src/emulator/index.js";
import { createDatabase, type Database } from "../../src/storage/database.js";
import { startEffectStandIn } from "../support/effect-stand-in.js";
import { startFakeModelServer } from "../support/fake-model-server.js";
import { type Cluster, sleep, startCluster } from "./cluster.js";
import { type Driver, startDriver } from "./driver.js";
import { injectFaults } from "./injector.js";
import { checkInvariants } from "./invariants.js";
import { chaosModel } from "./model-script.js";
import { planTasks } from "./plans.js";
import type { ChaosProfile } from "./profiles.js";
import { seededRandom } from "./random.js";
import { buildReport, type ChaosReport } from "./report.js";

/**
 * One chaos run through the whole real stack: the Slack emulator, the fake model server and the
 * effect stand-in in this process; the web role and several workers in child processes; a private
 * Postgres and Redis. People post tasks, follow-ups and approvals while faults are injected; then the
 * faults stop, the system drains, and the invariants are checked.
 */
const terminal = new Set(["completed", "failed", "stopped", "cancelled"]);

export interface ChaosOptions {
  log?: (line: string) => void;
  /** Keep the app processes' logs here (CHAOS_LOG_DIRECTORY). */
  logDirectory?: string;
  /** Called with the run's database before everything is torn down (for diagnosis). */
  inspect?: (database: Database) => Promise<void>;
}

export async function runChaos(profile: ChaosProfile, options: ChaosOptions = {}): Promise<ChaosReport> {
  const log = options.log ?? (() => {});
  const startedAt = Date.now();
  const loadAtStart = loadavg();
  const plans = planTasks(profile, seededRandom(profile.seed));
  let faulting = true;
  const model = chaosModel({
    plans,
    random: seededRandom(profile.seed + 1),
    shares: {
      rateLimit: profile.modelRateLimitShare,
      serverError: profile.modelServerErrorShare,
      timeout: profile.modelTimeoutShare,
    },
    faulting: () => faulting,
  });
  // Slack retries an unanswered event three times; the real one waits about 0 s, 1 min and 5 min, this
  // one 1, 10 and 60 s, so an app that is down for over a minute loses events here and not on Slack.
  const slack = await startSlackEmulator({ rateLimits: false, retryDelaysMs: [1000, 10_000, 60_000] });
  const modelServer = await startFakeModelServer({ reply: model.reply, record: false });
  const standIn = await startEffectStandIn();
  let cluster: Cluster | undefined;
  let database: Database | undefined;
  let driver: Driver | undefined;
  try {
    cluster = await startCluster({
      workers: profile.workers,
      logDirectory: options.logDirectory,
      env: {
        NODE_ENV: "test",
        QUEUE_PREFIX: "chaos",
        SLACK_API_URL: slack.apiUrl,
        SLACK_BOT_TOKEN: slack.botToken ?? "",
        SLACK_SIGNING_SECRET: slack.signingSecret,
        ENCRYPTION_KEY: "chaos-encryption-key-0123456789abcdef0123456789",
        LLM_BASE_URL: modelServer.url,
        LLM_MODEL: "fake-model",
        LLM_API_KEY: "chaos-model-key",
        LLM_TIMEOUT_MS: "2500",
        STAND_IN_URL: standIn.url,
        // Short locks so a killed worker's job is recovered in seconds (the recovery benchmark uses the defaults).
        TEST_LOCK_MS: "3000",
        TEST_STALLED_MS: "1500",
        WORKER_CONCURRENCY: "50",
        SHUTDOWN_GRACE_MS: "2000",
      },
    });
    slack.setRequestUrl(`${cluster.webUrl}/slack/events`);
    database = createDatabase(cluster.databaseUrl, { poolSize: 3 });
    log(`chaos ${profile.name}: stack up in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);

    driver = startDriver({
      slack,
      plans,
      random: seededRandom(profile.seed + 2),
      postWindowMs: profile.postWindowMs,
    });
    const injected = await injectFaults({ cluster, slack, profile, random: seededRandom(profile.seed + 3) });
    faulting = false;
    log(
      `chaos ${profile.name}: faults over (${injected.workerKills} worker kills, ${injected.webKills} web kills); draining`,
    );
    await driver.finished();
    const drained = await drain(database, driver, profile.drainTimeoutMs, log);
    log(`chaos ${profile.name}: ${drained ? "drained" : "drain deadline reached"}; checking invariants`);
    await sleep(2000);
    driver.stop();
    const findings = await checkInvariants({
      database,
      slack,
      tasks: driver.tasks,
      followUps: driver.followUps,
      approvalClicks: driver.approvals,
      effectCounts: standIn.counts,
      modelLog: model.log,
      unexpectedExits: cluster.unexpectedExits,
    });
    await options.inspect?.(database);
    const toolHangs = await database.toolCall.count({ where: { tool: "lookup", status: "failed" } });
    const modelFaults = model.injected();
    return buildReport({
      profile,
      startedAt,
      loadAtStart,
      injected: {
        ...injected,
        modelRateLimited: modelFaults.rateLimited,
        modelServerErrors: modelFaults.serverErrors,
        modelTimeouts: modelFaults.timeouts,
        toolHangs,
      },
      findings,
    });
  } finally {
    driver?.stop();
    await database?.$disconnect();
    await cluster?.close();
    await Promise.all([slack.close(), modelServer.close(), standIn.close()]);
  }
}

/** Waits until every posted task and follow-up has been answered and every run has ended. */
async function drain(
  database: Database,
  driver: Driver,
  timeoutMs: number,
  log: (line: string) => void,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let waitingFor = "the database";
  while (Date.now() < deadline) {
    const outstanding = await outstandingWork(database, driver).catch(() => undefined);
    if (outstanding?.length === 0) return true;
    if (outstanding) waitingFor = outstanding.join("; ");
    await sleep(1000);
  }
  log(`chaos: still waiting for ${waitingFor}`);
  return false;
}

/** What has not happened yet: runs not ended, tasks not started, follow-ups not given to a run. */
async function outstandingWork(database: Database, driver: Driver): Promise<string[]> {
  const runs = await database.run.findMany({
    select: { id: true, status: true, channel: true, triggerTs: true },
  });
  const messages = await database.threadMessage.findMany({
    where: { ts: { in: driver.followUps.map((followUp) => followUp.ts) } },
    select: { ts: true, deliveredToRunId: true },
  });
  const running = runs.filter((run) => !terminal.has(run.status));
  const notStarted = driver.tasks.filter(
    (task) =>
      !runs.some((run) => run.channel === task.channel && run.triggerTs === task.ts) &&
      !slackGaveUp(task.deliveries),
  );
  const untaken = driver.followUps.filter(
    (followUp) =>
      !messages.some((message) => message.ts === followUp.ts && message.deliveredToRunId !== null) &&
      !slackGaveUp(followUp.deliveries),
  );
  return [
    ...running.map((run) => `run ${run.id} (${run.status})`),
    ...notStarted.map((task) => `task ${task.plan.index} to start`),
    ...untaken.map((followUp) => `${followUp.marker} to reach a run`),
  ];
}

/** Slack stopped retrying every delivery of the message without one being acknowledged. */
function slackGaveUp(deliveries: Delivery[]): boolean {
  return deliveries.every((delivery) => delivery.status !== "pending" && delivery.status !== "acked");
}
