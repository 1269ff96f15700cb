/**
 * Everything that runs patterns over text from outside (a model's answer, a schedule command, a
 * web page, a message in the emulator) finishes in time linear in the input: adversarial and
 * random inputs of 100 KB each. Before the rewrite, `markdownToMrkdwn` took seconds on 20 KB of
 * `**a ` and never finished on `# x` plus 100 KB of spaces; see docs/security.md.
 */
import { describe, expect, it } from "vitest";
import { encodeComposerText, parseSlashCommand } from "../../src/emulator/ui/composer-text.js";
import { parseScheduleCommand } from "../../src/schedules/command.js";
import { defaultName } from "../../src/schedules/manage.js";
import { trailingZone } from "../../src/schedules/timezone-word.js";
import { markdownToMrkdwn, planAnswer, splitMarkdown, withoutStackTrace } from "../../src/slack/format.js";
import { htmlFragmentToText, htmlToMarkdown } from "../../src/tools/web/html-content.js";

const size = 100_000;
/**
 * A pathological pattern takes seconds here (quadratic) or forever (cubic); linear code takes a few
 * milliseconds of CPU for 100 KB. The bound is generous, it counts the CPU time of this process
 * (not the wall clock, which a machine shared by several test runs stretches), and the best of
 * three runs counts.
 */
const boundMs = 200;

function repeated(unit: string): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

function randomText(seed: number, alphabet: string[]): string {
  const next = seeded(seed);
  let text = "";
  while (text.length < size) text += alphabet[Math.floor(next() * alphabet.length)];
  return text;
}

/** Each unit alone, with a non-matching tail, and after prefixes that open a heading, a time, a day list. */
function adversarial(units: string[], prefixes: string[]): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const unit of units) {
    inputs[`${JSON.stringify(unit)} repeated`] = repeated(unit);
    inputs[`${JSON.stringify(unit)} repeated, then x!`] = `${repeated(unit)}x!`;
    for (const prefix of prefixes)
      inputs[`${JSON.stringify(prefix)} + ${JSON.stringify(unit)}`] = `${prefix}${repeated(unit)}y`;
  }
  return inputs;
}

function bestOfThree(run: () => unknown): number {
  let best = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < 3 && best >= boundMs; attempt += 1) {
    const started = process.cpuUsage();
    run();
    const used = process.cpuUsage(started);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

/**
 * Each input within the bound; with a `plain` input (ordinary text of the same size), within the
 * bound plus five times what the plain input takes, for work that is linear but heavy (an HTML DOM).
 */
function expectLinear(
  inputs: Record<string, string>,
  format: (text: string) => unknown,
  plain?: string,
): void {
  const allowed = boundMs + (plain === undefined ? 0 : 5 * bestOfThree(() => format(plain)));
  const slow: string[] = [];
  for (const [name, input] of Object.entries(inputs)) {
    const milliseconds = bestOfThree(() => format(input));
    if (milliseconds >= allowed)
      slow.push(`${name}: ${milliseconds.toFixed(0)} ms (allowed ${allowed.toFixed(0)})`);
  }
  expect(slow).toEqual([]);
}

const markdownUnits = [
  " ",
  "\n",
  "\t",
  "[",
  "![",
  "](",
  "[a](",
  "[a](b ",
  "[[]]((",
  "**",
  "~~",
  "__",
  "*a ",
  "**a ",
  "~~a ",
  "__a ",
  "*",
  "`",
  "``",
  "```\n",
  "~~~\n",
  "```",
  "# ",
  "#",
  "-",
  "- ",
  "<",
  "&",
  "\uE000",
  "\uE0001\uE000",
];
const markdownPrefixes = ["# x", "**x", "~~x", "[x](", "- ", "```\n"];
const markdownAlphabet = [
  "*",
  "_",
  "~",
  "[",
  "]",
  "(",
  ")",
  "!",
  "#",
  "`",
  " ",
  "\n",
  "a",
  "-",
  "**",
  "~~",
  "](",
  "```",
  "<",
  "&",
];
const markdownInputs = {
  ...adversarial(markdownUnits, markdownPrefixes),
  "nested brackets": `${"[".repeat(size / 2)}${"]".repeat(size / 2)}`,
  "nested links": `${"[a".repeat(size / 8)}${"](b)".repeat(size / 8)}`,
  "random 1": randomText(1, markdownAlphabet),
  "random 2": randomText(2, markdownAlphabet),
  "random 3": randomText(3, markdownAlphabet),
};

describe("text from outside is formatted in linear time", () => {
  it("Markdown to mrkdwn", { timeout: 600_000 }, () => {
    expectLinear(markdownInputs, markdownToMrkdwn);
  });

  it("splitting an answer into messages and the file preview", { timeout: 600_000 }, () => {
    expectLinear(markdownInputs, (text) => splitMarkdown(text, 11_000));
    expectLinear(adversarial(["```", "~~~", "`", " ", "\n"], ["```ts\n"]), (text) =>
      planAnswer(text, "answer.md"),
    );
  });

  it("failure notices without stack frames", { timeout: 600_000 }, () => {
    expectLinear(
      adversarial(["at ", " ", ":1", ":1:1", "(native)", "\n    at x (", "<anonymous>"], ["    at f ("]),
      withoutStackTrace,
    );
  });

  it("schedule commands and schedule names", { timeout: 600_000 }, () => {
    const units = [
      " ",
      ", ",
      "in ",
      "at ",
      "every ",
      "9 ",
      "9, ",
      "9am ",
      "mon and ",
      "mon, ",
      "mon to ",
      "and ",
      "&",
    ];
    const prefixes = [
      "every day at 9 report",
      "every mon",
      "at 9",
      "every day at 9",
      "in Europe/Warsaw",
      '"0 9 * * *" x',
    ];
    const inputs = {
      ...adversarial(units, prefixes),
      "spaces before a range": `every mon${" ".repeat(size)}to fri at 9am report`,
      "spaces inside a time": `every day at 9${" ".repeat(size)}am report`,
      "spaces at the end of a task": `every day at 9 report${" ".repeat(size)}x`,
    };
    expectLinear(inputs, parseScheduleCommand);
    expectLinear(adversarial(["<", "<a|", "<#C1|", "<@U1|", "|", ">"], ["<a"]), defaultName);
  });

  it("web pages and search snippets", { timeout: 600_000 }, () => {
    // Not deeply nested tags: see "Deeply nested HTML" in docs/security.md.
    const units = [" ", "\n", "*_`[", "&amp;", "<p>a</p>", "</b>"];
    // 100 KB pages: the text three times, a third each.
    const page = (whole: string, text = whole.slice(0, size / 3)) =>
      `<html><head><title>${text}</title></head><body><article><p>${text}</p><pre>${text}</pre></article></body></html>`;
    const pages = Object.fromEntries(
      Object.entries(adversarial(units, [])).map(([name, text]) => [name, page(text)]),
    );
    const plain = page(randomText(4, ["word ", "other ", "text. ", "<p>a</p>", "&amp;"]));
    expectLinear(pages, (html) => htmlToMarkdown(html, "https://example.com/"), plain);
    expectLinear(
      adversarial([...units, "<"], []),
      htmlFragmentToText,
      randomText(5, ["word ", "<b>x</b> ", "&amp;"]),
    );
  });

  it("the emulator's composer and message renderer", { timeout: 600_000 }, async () => {
    const units = [
      "@",
      "@a.",
      "@a.b.",
      "#",
      "#a ",
      "&",
      " ",
      "\n",
      "*",
      "_",
      "~",
      "`",
      "```",
      "<",
      "<a|",
      ":a",
      "*a ",
      "> ",
    ];
    const inputs = adversarial(units, ["/coworker ", "*x", "```"]);
    expectLinear(inputs, (text) => encodeComposerText(text, [], []));
    expectLinear(inputs, parseSlashCommand);
    const renderer = "../../src/emulator/ui/public/mrkdwn.js";
    const { mrkdwnHtml } = (await import(renderer)) as {
      mrkdwnHtml: (
        text: string,
        names: { user(id: string): undefined; channel(id: string): undefined },
      ) => string;
    };
    const names = { user: () => undefined, channel: () => undefined };
    expectLinear(inputs, (text) => mrkdwnHtml(text, names));
  });
});

describe("the linear formatter keeps its meaning", () => {
  it("keeps code inside a link label and input that looks like its own placeholders", () => {
    expect(markdownToMrkdwn("see [`run()` docs](https://example.com/a_b)")).toBe(
      "see <https://example.com/a_b|`run()` docs>",
    );
    expect(markdownToMrkdwn("a \uE0000\uE000 b **c**")).toBe("a \uE0000\uE000 b *c*");
  });

  it("keeps blank lines around headings and code blocks", () => {
    expect(markdownToMrkdwn("Intro\n\n## Part one ##\n\nText\n\n```ts\nx < 1\n```\n\nEnd")).toBe(
      "Intro\n\n*Part one*\n\nText\n\n```\nx &lt; 1\n```\n\nEnd",
    );
  });

  it("formats emphasis only where it opens and closes on one line", () => {
    expect(markdownToMrkdwn("**a\nb** *c* __d__ ~~e~~ ~~ f~~ * g *")).toBe(
      "**a\nb** _c_ *d* ~e~ ~~ f~~ * g *",
    );
  });

  it("reads a trailing timezone exactly as the old pattern did", () => {
    // The old pattern is only slow on long text: on short random text it is the reference.
    const pattern = /[\s,;]+in\s+([^\s,;:]+?)\.?$/i;
    const pieces = [" ", ",", ";", ":", ".", "in", "IN", "i", "n", "x", "Europe/Warsaw", "\t", ".."];
    const next = seeded(7);
    for (let index = 0; index < 20_000; index += 1) {
      let text = "";
      for (let count = 1 + Math.floor(next() * 8); count > 0; count -= 1)
        text += pieces[Math.floor(next() * pieces.length)];
      const match = pattern.exec(text);
      expect(trailingZone(text), JSON.stringify(text)).toEqual(
        match ? { word: match[1], index: match.index } : undefined,
      );
    }
    expect(parseScheduleCommand("every day at 9 check the logs, in Europe/Warsaw.")).toMatchObject({
      ok: true,
      timezone: "Europe/Warsaw",
      task: "check the logs",
    });
  });

  it("splits a line of backticks (once an endless loop) into parts within the limit", () => {
    const parts = splitMarkdown("`".repeat(30_000), 11_000);
    expect(parts.join("")).toBe("`".repeat(30_000));
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(11_000);
  });
});
