import { stableJson } from "../../src/harness/ledger.js";
import type { ToolResult } from "../../src/tools/tool.js";
import { htmlPage, jsonPage, logPart, type Planted, recordLine } from "./content.js";
import { code, type Random, seededRandom, seedOf } from "./random.js";

/**
 * The benchmark's long task: a release-week session of `steps` tool calls over wiki pages (HTML),
 * paged customer records (JSON) and CI logs, with outputs from a seeded generator. Five needs are
 * planted in it:
 * - an access code on the first wiki page, asked for at the end;
 * - an account id in the middle of page 1 of the records, needed halfway;
 * - the first failing test, early in part 1 of a long log (later parts fail other tests), asked at the end;
 * - a budget estimated early and corrected later, among decoy figures (only the correction is right);
 * - a deploy refused early with an error naming the right region: repeated unchanged if it is forgotten.
 * What the model does at each need depends on what its prompt shows (driver.ts).
 */
export interface Call {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

export interface Checkpoint {
  /** What the fact is, for the report. */
  name: string;
  /** Text that must be visible in the prompt. */
  fact: string;
  /** The call whose output holds the fact ("" when it is the output just received). */
  source: string;
  /** What to look for when reading the output back. */
  find: string;
  /** Scored in the report as a fact that must stay retrievable (not a mere confirmation). */
  scored: boolean;
}

/** A need in the middle of the task: the next call depends on whether the fact was retrieved. */
export interface Decision {
  checkpoint: Checkpoint;
  found: Call;
  lost: Call;
}

export type Action = { call: Call } | { decision: Decision };

export interface TaskPlan {
  name: string;
  prompt: string;
  /** The plan the model states in its first turn; it must still be in view at the end. */
  plan: string;
  actions: Action[];
  /** Checked together at the end; the answer states each fact (or a decoy when it was lost). */
  final: Array<{ checkpoint: Checkpoint; answer: string; wrongAnswer: string }>;
  /** Tool results by `name + " " + stableJson(arguments)`. */
  outputs: Map<string, ToolResult>;
}

export interface TaskSize {
  /** Tool calls in the task (reloads not counted); at least 10. */
  steps: number;
  /** Size of each large tool output, in tokens (4 characters each). */
  outputTokens: number;
  seed: number;
}

export function outputKey(name: string, input: unknown): string {
  return `${name} ${stableJson(input)}`;
}

type Slot = (id: string) => Action;

class Builder {
  readonly slots: Array<Slot | undefined>;
  readonly outputs = new Map<string, ToolResult>();
  private readonly counters = new Map<string, number>();

  constructor(readonly size: TaskSize) {
    this.slots = new Array(size.steps).fill(undefined);
  }

  random(label: string): Random {
    return seededRandom(seedOf(`${this.size.seed}:${label}`));
  }

  /** Places a slot at `position` (1-based) or the next free one; false when none is left. */
  place(position: number, slot: Slot): boolean {
    for (let index = Math.max(0, position - 1); index < this.slots.length; index++) {
      if (this.slots[index]) continue;
      this.slots[index] = slot;
      return true;
    }
    return false;
  }

  next(kind: string): number {
    const value = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, value);
    return value;
  }

  register(id: string, name: string, input: Record<string, unknown>, result: ToolResult): Call {
    this.outputs.set(outputKey(name, input), result);
    return { id, name, arguments: input };
  }

  /** A large output of one kind, numbered in order; `planted` lines go in it. */
  output(kind: "wiki" | "offsite" | "records" | "log", planted: Planted[] = []): Slot {
    const number = this.next(kind);
    const characters = this.size.outputTokens * 4;
    const random = this.random(`${kind}-${number}`);
    if (kind === "records") {
      const content = jsonPage(random, number, characters, planted);
      return (id) => ({
        call: this.register(id, "list_records", { page: number }, { content, untrusted: true }),
      });
    }
    if (kind === "log") {
      const content = logPart(random, number, characters, planted);
      return (id) => ({
        call: this.register(id, "read_log", { build: 4711, part: number }, { content, untrusted: true }),
      });
    }
    const url = `https://wiki.example/${kind === "wiki" ? "osprey" : "offsite"}/page-${number}`;
    const title = `${kind === "wiki" ? "Osprey migration" : "Offsite planning"} (${number})`;
    const content = `URL: ${url}\n${htmlPage(random, title, characters, planted)}`;
    return (id) => ({ call: this.register(id, "fetch_page", { url }, { content, untrusted: true }) });
  }

  actions(): Action[] {
    const fillers = ["wiki", "records", "log", "offsite"] as const;
    return this.slots.map((slot, index) => {
      const id = `call_${index + 1}`;
      return (slot ?? this.output(fillers[index % fillers.length]!))(id);
    });
  }
}

const failures = [
  "FAIL tests/billing/invoice-rounding.test.ts > rounds half-cent totals up",
  "FAIL tests/search/ranking.test.ts > orders ties by recency",
  "FAIL tests/auth/session.test.ts > expires idle sessions",
];
const refusal =
  "Deploy refused: region eu-west-3 is not enabled for this workspace. Use eu-central-1 instead.";

export function releaseWeek(size: TaskSize): TaskPlan {
  const steps = Math.max(10, size.steps);
  const builder = new Builder({ ...size, steps });
  const random = builder.random("facts");
  const accessCode = `OSP-${code(random, 4).toUpperCase()}-${code(random, 4).toUpperCase()}`;
  const accountId = `acct_${code(random, 10)}`;
  const decoyId = `acct_${code(random, 10)}`;
  const record = (name: string, id: string) =>
    recordLine({ id: "r-globex", name, accountId: id, region: "eu-central-1", status: "active" });
  const third = Math.round(steps / 3);
  const half = Math.round(steps / 2);
  const twoThirds = Math.round((2 * steps) / 3);
  const correction = Math.max(6, third);

  const accessFact = `The archive access code for Osprey is ${accessCode}.`;
  builder.place(1, builder.output("wiki", [{ at: 0.03, line: accessFact }]));
  builder.place(2, builder.output("records", [{ at: 0.5, line: record("Globex Corporation", accountId) }]));
  builder.place(3, builder.output("log", [{ at: 0.05, line: failures[0]! }]));
  builder.place(4, (id) => ({
    call: builder.register(
      id,
      "deploy",
      { release: "2025.03", region: "eu-west-3" },
      { content: refusal, isError: true },
    ),
  }));
  builder.place(
    5,
    builder.output("offsite", [{ at: 0.04, line: "Q3 offsite budget: $4,200 (first estimate)." }]),
  );
  const correctionLine =
    "Correction from finance: the Q3 offsite budget is $5,150, which replaces the $4,200 estimate.";
  builder.place(correction, builder.output("offsite", [{ at: 0.04, line: correctionLine }]));
  const open = (id: string, account: string): Call =>
    builder.register(
      id,
      "open_account",
      { accountId: account },
      account === accountId
        ? { content: `Opened account ${account} (Globex Corporation, eu-central-1).` }
        : { content: `Account ${account} is not Globex Corporation's.`, isError: true },
    );
  const deploy = (id: string, region: string): Call =>
    builder.register(
      id,
      "deploy",
      { release: "2025.03", region },
      region === "eu-central-1"
        ? { content: "Deployed release 2025.03 to eu-central-1." }
        : { content: refusal, isError: true },
    );
  builder.place(Math.max(7, half), (id) => ({
    decision: {
      checkpoint: {
        name: "account id from page 1, needed halfway",
        fact: accountId,
        source: "call_2",
        find: "Globex Corporation",
        scored: true,
      },
      found: open(id, accountId),
      lost: open(id, decoyId),
    },
  }));
  builder.slots[steps - 2] = (id) => ({
    decision: {
      checkpoint: {
        name: "error kept in view (not repeated)",
        fact: "Use eu-central-1 instead",
        source: "call_4",
        find: "Deploy refused",
        scored: true,
      },
      found: deploy(id, "eu-central-1"),
      lost: deploy(id, "eu-west-3"),
    },
  });
  // Decoys, most important first; at few steps the last ones may not fit.
  builder.place(
    correction + 1,
    builder.output("offsite", [{ at: 0.3, line: "Q2 offsite budget: $4,900 (final)." }]),
  );
  builder.place(
    half,
    builder.output("offsite", [
      { at: 0.3, line: "A proposal to raise the Q3 offsite budget to $6,000 was rejected." },
    ]),
  );
  builder.place(
    6,
    builder.output("records", [{ at: 0.3, line: record("Globex Holdings (former parent)", decoyId) }]),
  );
  builder.place(third + 1, builder.output("log", [{ at: 0.5, line: failures[1]! }]));
  builder.place(twoThirds, builder.output("log", [{ at: 0.5, line: failures[2]! }]));
  builder.place(
    twoThirds + 1,
    builder.output("offsite", [{ at: 0.3, line: "Q3 offsite catering estimate: $1,150." }]),
  );

  const correctionId = `call_${correction}`;
  const check = (name: string, fact: string, source: string, find: string, scored = true): Checkpoint => ({
    name,
    fact,
    source,
    find,
    scored,
  });
  return {
    name: "release-week",
    prompt:
      `Release week. Go through the Osprey wiki, the customer records, the CI log of build 4711 and the offsite ` +
      `planning pages (${steps} tool calls in all). Deploy release 2025.03 early; halfway, open Globex ` +
      "Corporation's account (its id is in the records); deploy again before you finish. At the end, tell me " +
      "the Osprey archive access code, the first test that failed in build 4711, and the final Q3 offsite budget.",
    plan:
      "Plan:\n1. Deploy release 2025.03.\n2. Read the wiki, records, logs and offsite pages.\n" +
      "3. Open Globex Corporation's account halfway.\n4. Deploy again.\n" +
      "5. Report the access code, the first failing test and the Q3 budget.",
    actions: builder.actions(),
    final: [
      {
        checkpoint: check("access code from the first page", accessFact, "call_1", "archive access code"),
        answer: `The Osprey archive access code is ${accessCode}.`,
        wrongAnswer: "I could not find the Osprey archive access code.",
      },
      {
        checkpoint: check("first failing test in long logs", failures[0]!, "call_3", "FAIL"),
        answer:
          "The first failing test was tests/billing/invoice-rounding.test.ts (rounds half-cent totals up).",
        wrongAnswer: "The first failing test was tests/search/ranking.test.ts.",
      },
      {
        checkpoint: check(
          "value corrected later, among decoys",
          "the Q3 offsite budget is $5,150",
          correctionId,
          "Correction from finance",
        ),
        answer: "The final Q3 offsite budget is $5,150.",
        wrongAnswer: "The Q3 offsite budget is $4,200.",
      },
      {
        checkpoint: check("account opened", `Opened account ${accountId}`, "", "Opened account", false),
        answer: `Globex Corporation's account ${accountId} is open.`,
        wrongAnswer: "I could not open Globex Corporation's account.",
      },
      {
        checkpoint: check("deployed", "Deployed release 2025.03 to eu-central-1.", "", "Deployed", false),
        answer: "Release 2025.03 is deployed to eu-central-1.",
        wrongAnswer: "The deploy failed.",
      },
    ],
    outputs: builder.outputs,
  };
}
