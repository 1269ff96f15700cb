/**
 * How hard the chaos suite pushes. `short` fits CI (about three minutes on two cores); `full` is the
 * on-demand soak (CHAOS_PROFILE=full): 200 tasks and hundreds of process deaths. Rates are means:
 * each fault fires at random moments drawn from the run's seeded random source.
 */
export interface ChaosProfile {
  name: "short" | "full";
  /** Tasks (mentions), posted at random moments over `postWindowMs`. */
  tasks: number;
  postWindowMs: number;
  /** Faults are injected from the start until this long after it; then the system drains. */
  faultWindowMs: number;
  /** How long the drain may take before unfinished tasks count as violations. */
  drainTimeoutMs: number;
  workers: number;
  /** Mean time between SIGKILLs of a worker process (exponentially distributed). */
  workerKillEveryMs: number;
  webKills: number;
  redisRestarts: number;
  postgresRestarts: number;
  /** Slack answers 429 to every call for `slackStormMs`, this many times; and 5xx as many times. */
  slackRateLimitStorms: number;
  slackServerErrorStorms: number;
  slackStormMs: number;
  /** Share of model calls answered 429, 500, or never (the client times out). */
  modelRateLimitShare: number;
  modelServerErrorShare: number;
  modelTimeoutShare: number;
  /** Share of tasks that ask for an approval-gated effect, post follow-ups, call the hanging tool. */
  approvalShare: number;
  followUpShare: number;
  hangShare: number;
  /** Side-effecting calls per task: between these two, inclusive. */
  effectsPerTask: [number, number];
  seed: number;
}

export const profiles: Record<ChaosProfile["name"], ChaosProfile> = {
  short: {
    name: "short",
    tasks: 30,
    postWindowMs: 25_000,
    faultWindowMs: 45_000,
    drainTimeoutMs: 90_000,
    workers: 3,
    workerKillEveryMs: 2_000,
    webKills: 2,
    redisRestarts: 1,
    postgresRestarts: 1,
    slackRateLimitStorms: 1,
    slackServerErrorStorms: 1,
    slackStormMs: 3_000,
    modelRateLimitShare: 0.08,
    modelServerErrorShare: 0.05,
    modelTimeoutShare: 0.03,
    approvalShare: 0.25,
    followUpShare: 0.4,
    hangShare: 0.15,
    effectsPerTask: [2, 4],
    seed: 1,
  },
  full: {
    name: "full",
    tasks: 200,
    postWindowMs: 420_000,
    faultWindowMs: 540_000,
    drainTimeoutMs: 300_000,
    workers: 6,
    workerKillEveryMs: 900,
    webKills: 10,
    redisRestarts: 4,
    postgresRestarts: 4,
    slackRateLimitStorms: 6,
    slackServerErrorStorms: 6,
    slackStormMs: 5_000,
    modelRateLimitShare: 0.08,
    modelServerErrorShare: 0.05,
    modelTimeoutShare: 0.03,
    approvalShare: 0.25,
    followUpShare: 0.4,
    hangShare: 0.15,
    effectsPerTask: [2, 5],
    seed: 1,
  },
};

/** The profile named by `name` (CHAOS_PROFILE), `short` when unset; CHAOS_SEED overrides the seed. */
export function chaosProfile(name: string | undefined, seed?: string): ChaosProfile {
  const profile = profiles[(name ?? "short") as ChaosProfile["name"]];
  if (!profile) throw new Error(`unknown CHAOS_PROFILE "${name}": use short or full`);
  return seed ? { ...profile, seed: Number(seed) } : profile;
}
