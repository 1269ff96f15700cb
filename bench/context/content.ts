import { code, integer, pick, type Random } from "./random.js";

/**
 * Tool outputs of a given size with a few planted lines (the facts and decoys a task is about) at
 * chosen places. Filler never contains what a planted line does (no "$", "FAIL", "OSP-" or "acct_").
 */
export interface Planted {
  /** Where, as a share of the output (0 = first line). */
  at: number;
  line: string;
}

const words = (
  "the a of to and in for on with by from as at about migration archive service team release build " +
  "review page section owner status update plan budget offsite customer account record region cluster " +
  "worker queue job latency request response cache index schema table column report summary meeting " +
  "notes decision action item follow owner deadline quarter estimate vendor contract travel venue " +
  "catering schedule agenda draft approved pending rejected reviewed shipped merged opened closed " +
  "stable flaky retry timeout network storage compute memory disk upgrade rollback deploy pipeline"
).split(" ");

function sentence(random: Random): string {
  const length = integer(random, 8, 18);
  const chosen: string[] = [];
  for (let index = 0; index < length; index++) chosen.push(pick(random, words));
  const text = chosen.join(" ");
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}

function assemble(
  characters: number,
  planted: Planted[],
  filler: () => string,
  open = "",
  close = "",
): string {
  const lines: string[] = [];
  let size = open.length + close.length;
  const pending = [...planted].sort((left, right) => left.at - right.at);
  while (size < characters || pending.length > 0) {
    const next = pending[0];
    let line: string;
    if (next && size >= next.at * characters) {
      pending.shift();
      line = next.line;
    } else line = filler();
    lines.push(line);
    size += line.length + 1;
  }
  return `${open}${lines.join("\n")}${close}`;
}

export function htmlPage(random: Random, title: string, characters: number, planted: Planted[]): string {
  const open = `<!doctype html>\n<html><head><title>${title}</title></head><body>\n<h1>${title}</h1>\n`;
  const wrapped = planted.map((entry) => ({ at: entry.at, line: `<p>${entry.line}</p>` }));
  return assemble(
    characters,
    wrapped,
    () => `<p>${sentence(random)} ${sentence(random)}</p>`,
    open,
    "\n</body></html>",
  );
}

export interface RecordLine {
  id: string;
  name: string;
  accountId: string;
  region: string;
  status: string;
}

const regions = ["us-east-1", "us-west-2", "eu-central-1", "ap-south-1"];
const companies = ["Initech", "Umbrella", "Hooli", "Vandelay", "Soylent", "Stark", "Wayne", "Wonka", "Acme"];

export function recordLine(record: RecordLine, last = false): string {
  return `    ${JSON.stringify(record)}${last ? "" : ","}`;
}

/** One page of a paged JSON listing, pretty enough to read, valid JSON. */
export function jsonPage(random: Random, page: number, characters: number, planted: Planted[]): string {
  const open = `{\n  "page": ${page},\n  "nextPage": ${page + 1},\n  "records": [\n`;
  const close = `\n  ]\n}`;
  const body = assemble(characters, planted, () =>
    recordLine({
      id: `r${page}-${code(random, 6)}`,
      name: `${pick(random, companies)} ${pick(random, ["Labs", "Group", "Systems", "Partners", "Foods"])}`,
      accountId: `id-${code(random, 10)}`,
      region: pick(random, regions),
      status: pick(random, ["active", "trial", "paused"]),
    }),
  );
  const lines = body.split("\n");
  const last = lines.length - 1;
  lines[last] = lines[last]!.replace(/,$/, "");
  return `${open}${lines.join("\n")}${close}`;
}

/** One part of a long CI log: timestamps, passing test files, worker chatter. */
export function logPart(random: Random, part: number, characters: number, planted: Planted[]): string {
  let second = part * 3600;
  const stamp = () => {
    second += integer(random, 0, 3);
    const hours = String(Math.floor(second / 3600) % 24).padStart(2, "0");
    const minutes = String(Math.floor(second / 60) % 60).padStart(2, "0");
    return `2025-03-14T${hours}:${minutes}:${String(second % 60).padStart(2, "0")}Z`;
  };
  const filler = () => {
    const kind = random();
    if (kind < 0.4)
      return `${stamp()} PASS tests/${pick(random, words)}/${pick(random, words)}.test.ts (${integer(random, 1, 40)} tests)`;
    if (kind < 0.8) return `${stamp()} INFO worker-${integer(random, 1, 8)} ${sentence(random)}`;
    return `${stamp()} DEBUG cache ${pick(random, ["hit", "miss"])} key=${code(random, 12)}`;
  };
  return assemble(
    characters,
    planted.map((entry) => ({ at: entry.at, line: `${stamp()} ${entry.line}` })),
    filler,
  );
}
