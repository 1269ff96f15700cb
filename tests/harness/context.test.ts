import { describe, expect, it } from "vitest";
import {
  advanceContext,
  buildPrompt,
  type ContextOptions,
  contextOptions,
  defaultContextOptions,
  promptTokens,
} from "../../src/harness/context.js";
import type { Message } from "../../src/harness/model/model.js";
import { initialState, parseState, type RunState, type StoredMessage } from "../../src/harness/state.js";
import { renderSummary } from "../../src/harness/summarize.js";

const options = (overrides: Partial<ContextOptions> = {}): ContextOptions => ({
  ...defaultContextOptions,
  keepRecent: 2,
  batch: 3,
  ...overrides,
});

function newState(): RunState {
  return initialState({
    system: "You are a test assistant.",
    context: ["Earlier messages in this Slack thread: <@U1>: the staging cluster is eu-1"],
    prompt: "GOAL: find the release owner and report the launch date.",
    now: 0,
    label: { readers: ["workspace"], untrusted: true },
  });
}

let calls = 0;
/** One model turn with tool calls and their results, advancing the context after each result as the loop does. */
function turn(
  state: RunState,
  settings: ContextOptions,
  outputs: Array<{ content: string; isError?: boolean }>,
  text = "",
): string[] {
  const ids = outputs.map(() => `call_${++calls}`);
  state.messages.push({
    role: "assistant",
    content: text,
    toolCalls: ids.map((id) => ({ id, name: "read_page", arguments: `{"page":"${id}"}` })),
  });
  outputs.forEach((output, index) => {
    state.messages.push({ role: "tool", toolCallId: ids[index]!, name: "read_page", ...output });
    advanceContext(state, settings);
  });
  return ids;
}

const page = (id: number, size = 2000) => `page ${id} `.padEnd(size, "x");
const bytes = (messages: Message[]) => messages.map((message) => JSON.stringify(message));

/** Whether `earlier` is a prefix of `later`, message by message (what a provider's prompt cache can reuse). */
function extends_(earlier: Message[], later: Message[]): boolean {
  const before = bytes(earlier);
  const after = bytes(later);
  return before.every((message, index) => after[index] === message);
}

describe("masking", () => {
  it("masks older outputs in batches, keeps their handles, and keeps the prefix stable in between", () => {
    const state = newState();
    const settings = options();
    const prompts: Message[][] = [];
    const boundaries: number[] = [];
    for (let index = 1; index <= 12; index++) {
      turn(state, settings, [{ content: page(index) }]);
      prompts.push(buildPrompt(state));
      boundaries.push(state.maskedThrough);
    }
    // keepRecent 2 + batch 3: nothing until 5 outputs are whole, then all but the newest 2, and so on.
    expect(boundaries).toEqual([0, 0, 0, 0, 3, 3, 3, 6, 6, 6, 9, 9]);
    const breaks = prompts.slice(1).filter((prompt, index) => !extends_(prompts[index]!, prompt)).length;
    expect(breaks).toBe(3);

    const last = prompts.at(-1)!;
    const tools = last.filter((message) => message.role === "tool");
    expect(tools.slice(-3).map((message) => message.content)).toEqual([page(10), page(11), page(12)]);
    const first = tools[0]!.content;
    expect(first).toContain(
      `read_artifact {"toolCallId":"${(tools[0] as { toolCallId: string }).toolCallId}"}`,
    );
    expect(first).toContain("2000 characters");
    expect(first).toContain("page 1 x");
    expect(first.length).toBeLessThan(500);
    // The checkpoint keeps the placeholder and the original size (the ledger keeps the output).
    const stored = state.messages.find((message) => message.role === "tool");
    expect(stored).toMatchObject({ content: first, maskedSize: 2000 });
  });

  it("never masks short outputs, errors, or outputs the model has not seen yet", () => {
    const state = newState();
    const settings = options({ keepRecent: 1, batch: 1 });
    turn(state, settings, [{ content: "short result" }]);
    turn(state, settings, [{ content: `failed: ${"trace ".repeat(100)}`, isError: true }]);
    turn(state, settings, [{ content: page(1) }]);
    // Four results of one turn: none is masked while the model has not seen them.
    const parallel = turn(
      state,
      settings,
      [1, 2, 3, 4].map((id) => ({ content: page(10 + id) })),
    );
    const prompt = buildPrompt(state);
    const content = (id: string) =>
      prompt.find((message) => message.role === "tool" && message.toolCallId === id)?.content;
    for (const [index, id] of parallel.entries()) expect(content(id)).toBe(page(11 + index));
    expect(prompt.some((message) => message.content === "short result")).toBe(true);
    expect(prompt.some((message) => message.content.startsWith("failed: trace"))).toBe(true);
    expect(prompt.some((message) => message.content.startsWith("[Earlier output of read_page"))).toBe(true);
  });

  it("sends the whole transcript when disabled (the baseline)", () => {
    const state = newState();
    const settings = options({ enabled: false, contextWindow: 1000 });
    for (let index = 1; index <= 20; index++) turn(state, settings, [{ content: page(index) }]);
    expect(state.maskedThrough).toBe(0);
    expect(state.summarizedThrough).toBe(0);
    expect(buildPrompt(state)).toEqual(state.messages);
  });
});

describe("serialization", () => {
  it("renders the same bytes for the same state, whatever the key order of the stored checkpoint", () => {
    const state = newState();
    const settings = options();
    for (let index = 1; index <= 9; index++)
      turn(state, settings, [{ content: page(index) }], `step ${index}`);
    const once = JSON.stringify(buildPrompt(state));
    expect(JSON.stringify(buildPrompt(state))).toBe(once);
    const reversed = JSON.parse(JSON.stringify(state), (_key, value) =>
      value && typeof value === "object" && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).reverse())
        : value,
    );
    expect(JSON.stringify(reversed)).not.toBe(JSON.stringify(state));
    expect(JSON.stringify(buildPrompt(parseState(reversed)))).toBe(once);
  });

  it("reads checkpoints written before summaries existed, and masks their outputs when building the prompt", () => {
    const state = newState();
    turn(
      state,
      options({ enabled: false }),
      [1, 2, 3].map((id) => ({ content: page(id) })),
    );
    const { summarizedThrough: _through, summary: _summary, ...older } = { ...state, maskedThrough: 2 };
    const parsed = parseState(JSON.parse(JSON.stringify(older)));
    expect(parsed).toMatchObject({ summarizedThrough: 0, summary: "" });
    const tools = buildPrompt(parsed).filter((message) => message.role === "tool");
    expect(tools.map((message) => message.content.startsWith("[Earlier output"))).toEqual([
      true,
      true,
      false,
    ]);
  });
});

describe("compaction", () => {
  it("summarizes older turns near the window, keeping the goal, the latest instructions and the plan", () => {
    const state = newState();
    const settings = options({ contextWindow: 6000, keepRecent: 1, batch: 2 });
    const plan = "Plan:\n1. Read the release pages.\n2. Find the owner.\n3. Report the launch date.";
    turn(state, settings, [{ content: page(1, 3000) }], plan);
    turn(state, settings, [{ content: "Deploy refused: use region eu-central-1 instead.", isError: true }]);
    state.messages.push({ role: "user", content: "Use the staging cluster, not production." });
    turn(state, settings, [{ content: page(2, 3000) }]);
    state.messages.push({ role: "user", content: "Also include the rollback owner." });
    for (let index = 3; index <= 60 && state.summarizedThrough === 0; index++) {
      turn(state, settings, [{ content: page(index, 3000) }]);
    }
    expect(state.summarizedThrough).toBeGreaterThan(0);
    for (let index = 61; index <= 80; index++) turn(state, settings, [{ content: page(index, 3000) }]);

    const prompt = buildPrompt(state);
    expect(promptTokens(state, settings)).toBeLessThan(settings.contextWindow * settings.compactAt);
    // The opening is kept whole: system prompt, thread context, the goal.
    expect(prompt.slice(0, 3)).toEqual(state.messages.slice(0, 3));
    const summary = prompt[3]!;
    expect(summary.role).toBe("user");
    expect(summary.content).toContain(plan);
    expect(summary.content).toContain("Use the staging cluster, not production.");
    expect(summary.content).toContain("Also include the rollback owner.");
    expect(summary.content).toContain("Deploy refused: use region eu-central-1 instead.");
    expect(summary.content).toMatch(/- call_\d+ read_page \{"page":"call_\d+"\} → 3000 chars/);
    // Every tool result in the prompt still follows the model turn that asked for it.
    const asked = new Set<string>();
    for (const message of prompt.slice(4)) {
      if (message.role === "assistant") for (const call of message.toolCalls ?? []) asked.add(call.id);
      if (message.role === "tool") expect(asked.has(message.toolCallId)).toBe(true);
    }
    expect(prompt.at(-1)!.content).toBe(page(80, 3000));
  });
});

describe("summary", () => {
  it("is cut to its budget from the middle of the call list and the oldest instructions, never the latest", () => {
    const messages: StoredMessage[] = [
      { role: "system", content: "system" },
      { role: "user", content: "GOAL" },
    ];
    for (let index = 1; index <= 40; index++) {
      const id = `call_${index}`;
      messages.push({
        role: "assistant",
        content: index === 1 ? "Plan:\n1. Collect results.\n2. Report." : "",
        toolCalls: [{ id, name: "run_query", arguments: `{"query":${index}}` }],
      });
      messages.push({
        role: "tool",
        toolCallId: id,
        name: "run_query",
        content: `result ${index}: ${"row ".repeat(500)}`,
      });
      if (index % 8 === 0)
        messages.push({ role: "user", content: `Instruction ${index / 8}: ${"please ".repeat(60)}` });
    }
    const limit = 2500;
    const text = renderSummary(messages, 2, messages.length, limit);
    expect(text.length).toBeLessThanOrEqual(limit);
    expect(text).toContain("Plan:\n1. Collect results.\n2. Report.");
    expect(text).toContain(`Instruction 5: ${"please ".repeat(60)}`);
    expect(text).not.toContain("Instruction 1:");
    expect(text).toMatch(/\(\d+ earlier messages? not listed\)/);
    expect(text).toContain('- call_1 run_query {"query":1} → 2010 chars: "result 1: row row');
    expect(text).toMatch(/- \(\d+ more calls not listed\)/);
    expect(text).toContain('- call_40 run_query {"query":40}');
    expect(renderSummary(messages, 2, messages.length, limit)).toBe(text);
  });
});

describe("options", () => {
  it("takes the window from the services and reserves room for the tool definitions", () => {
    const tools = [{ name: "read_page", description: "Read a page.", parameters: { type: "object" } }];
    const settings = contextOptions({ contextWindow: 32_000, contextManagement: { batch: 4 } }, tools);
    expect(settings).toMatchObject({
      contextWindow: 32_000,
      batch: 4,
      keepRecent: defaultContextOptions.keepRecent,
    });
    expect(settings.reservedTokens).toBe(Math.ceil(JSON.stringify(tools).length / 4));
    expect(contextOptions({}).contextWindow).toBe(128_000);
  });
});
