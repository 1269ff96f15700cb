import type { Fault, SlackEmulator } from "../../src/emulator/index.js";
import { type Cluster, sleep } from "./cluster.js";
import type { ChaosProfile } from "./profiles.js";
import type { Random } from "./random.js";

/**
 * Faults at random moments during the fault window: worker processes SIGKILLed (and started again a
 * moment later), the web process SIGKILLed, Redis and Postgres restarted, Slack answering 429 or 5xx
 * to every call for a few seconds. Everything injected is counted for the report.
 */
export interface Injected {
  workerKills: number;
  webKills: number;
  redisRestarts: number;
  postgresRestarts: number;
  slackRateLimitStorms: number;
  slackServerErrorStorms: number;
  /** Web API calls answered 429 or 5xx by the storms. */
  slackCallsFaulted: number;
  /** Errors while injecting (a restart that failed): the run is then not trustworthy. */
  errors: string[];
}

export async function injectFaults(options: {
  cluster: Cluster;
  slack: SlackEmulator;
  profile: ChaosProfile;
  random: Random;
}): Promise<Injected> {
  const { cluster, slack, profile, random } = options;
  const injected: Injected = {
    workerKills: 0,
    webKills: 0,
    redisRestarts: 0,
    postgresRestarts: 0,
    slackRateLimitStorms: 0,
    slackServerErrorStorms: 0,
    slackCallsFaulted: 0,
    errors: [],
  };
  const end = Date.now() + profile.faultWindowMs;
  const background = new Set<Promise<void>>();
  const track = (work: Promise<void>, what: string) => {
    const done = work.catch((error: unknown) => {
      injected.errors.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    });
    background.add(done);
    void done.finally(() => background.delete(done));
  };
  const storms: Fault[] = [];

  // Infrastructure faults: spread over the window, each at a random moment within its own slice.
  const scheduled: Array<{ what: string; act: () => Promise<void> }> = [
    ...repeat(profile.webKills, () => ({
      what: "web kill",
      act: async () => {
        await cluster.killWeb();
        injected.webKills += 1;
        await sleep(random.between(300, 1000));
        await cluster.startWeb();
      },
    })),
    ...repeat(profile.redisRestarts, () => ({
      what: "redis restart",
      act: async () => {
        await cluster.restartRedis(random.between(500, 1500));
        injected.redisRestarts += 1;
      },
    })),
    ...repeat(profile.postgresRestarts, () => ({
      what: "postgres restart",
      act: async () => {
        await cluster.restartPostgres(random.between(500, 1500));
        injected.postgresRestarts += 1;
      },
    })),
    ...repeat(profile.slackRateLimitStorms, () => ({
      what: "slack 429 storm",
      act: async () => {
        storms.push(slack.faults.rateLimit({ durationMs: profile.slackStormMs, retryAfterSeconds: 1 }));
        injected.slackRateLimitStorms += 1;
      },
    })),
    ...repeat(profile.slackServerErrorStorms, () => ({
      what: "slack 5xx storm",
      act: async () => {
        storms.push(
          slack.faults.serverError({ durationMs: profile.slackStormMs, status: random.pick([500, 503]) }),
        );
        injected.slackServerErrorStorms += 1;
      },
    })),
  ];
  shuffle(scheduled, random);
  const slice = profile.faultWindowMs / Math.max(1, scheduled.length);
  scheduled.forEach((fault, position) => {
    const at = slice * position + random.next() * slice * 0.8;
    track(sleep(at).then(fault.act), fault.what);
  });

  // Worker kills: a random live worker at random moments; a new process takes its slot shortly after.
  while (Date.now() < end) {
    await sleep(Math.min(random.exponential(profile.workerKillEveryMs), Math.max(0, end - Date.now())));
    if (Date.now() >= end) break;
    const live = cluster.liveWorkers();
    if (live.length === 0) continue;
    const slot = random.pick(live);
    await cluster.killWorker(slot);
    injected.workerKills += 1;
    track(
      sleep(random.between(200, 1500)).then(() => cluster.startWorker(slot)),
      `worker ${slot} restart`,
    );
  }
  while (background.size > 0) await Promise.allSettled([...background]);
  injected.slackCallsFaulted = storms.reduce((sum, storm) => sum + storm.hits, 0);
  // Whatever happened, every slot and the web role are up for the drain.
  await Promise.all([
    cluster.startWeb(),
    ...Array.from({ length: profile.workers }, (_, slot) => cluster.startWorker(slot)),
  ]);
  return injected;
}

function repeat<T>(count: number, make: () => T): T[] {
  return Array.from({ length: count }, make);
}

function shuffle<T>(items: T[], random: Random): void {
  for (let index = items.length - 1; index > 0; index--) {
    const other = Math.floor(random.next() * (index + 1));
    [items[index], items[other]] = [items[other]!, items[index]!];
  }
}
