import { webApi } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SlackEmulator, startSlackEmulator } from "../../src/emulator/index.js";
import { runPage } from "../../src/web/run-page.js";
import type { RunView } from "../../src/web/run-view.js";
import { createSlackNames } from "../../src/web/slack-names.js";

/**
 * The run viewer's names for Slack ids, looked up in the Slack emulator with a real WebClient: people
 * and channels by name, unknown ids as themselves, each id asked of Slack once until it expires, the
 * cache bounded, and a hostile display name escaped on the page.
 */
let slack: SlackEmulator;
let clock = 1_000_000;
const hostile = '<img src=x onerror="alert(1)">Mallory';

beforeAll(async () => {
  slack = await startSlackEmulator();
});
afterAll(async () => {
  await slack?.close();
});

function names(options: { maxEntries?: number } = {}) {
  const client = new webApi.WebClient(slack.botToken, {
    slackApiUrl: slack.apiUrl,
    logLevel: webApi.LogLevel.ERROR,
    retryConfig: { retries: 0 },
  });
  return createSlackNames({
    slack: { forWorkspace: async () => client },
    now: () => clock,
    ttlMs: 60_000,
    ...options,
  });
}

const lookUps = () => slack.callsTo("users.info").length + slack.callsTo("conversations.info").length;

describe("names for Slack ids", () => {
  it("resolves people and channels, and leaves an unknown id as it is", async () => {
    const alice = slack.users.alice;
    const general = slack.channels.general;
    const resolved = await names().resolve(slack.teamId, [alice.id, general.id, "U0NOBODY1", "not-an-id"]);
    expect(resolved.get(alice.id)).toBe(alice.realName);
    expect(resolved.get(general.id)).toBe(`#${general.name}`);
    expect(resolved.get("U0NOBODY1")).toBe("U0NOBODY1");
    expect(resolved.has("not-an-id")).toBe(false);
  });

  it("asks Slack once per id until the name expires", async () => {
    const cache = names();
    const id = slack.users.bob.id;
    const before = lookUps();
    expect((await cache.resolve(slack.teamId, [id])).get(id)).toBe(slack.users.bob.realName);
    await cache.resolve(slack.teamId, [id, id]);
    expect(lookUps()).toBe(before + 1);
    clock += 61_000;
    await cache.resolve(slack.teamId, [id]);
    expect(lookUps()).toBe(before + 2);
  });

  it("keeps at most maxEntries names, dropping the oldest", async () => {
    const cache = names({ maxEntries: 2 });
    const [alice, bob, carol] = [slack.users.alice.id, slack.users.bob.id, slack.users.carol.id];
    await cache.resolve(slack.teamId, [alice]);
    await cache.resolve(slack.teamId, [bob, carol]);
    const before = lookUps();
    await cache.resolve(slack.teamId, [bob, carol]);
    expect(lookUps()).toBe(before);
    await cache.resolve(slack.teamId, [alice]);
    expect(lookUps()).toBe(before + 1);
  });

  it("escapes a display name on the run page", async () => {
    const mallory = slack.addUser({ name: "mallory", realName: hostile });
    const resolved = await names().resolve(slack.teamId, [mallory.id]);
    expect(resolved.get(mallory.id)).toBe(hostile);
    const page = runPage(viewRequestedBy(mallory.id), { grant: "", admin: false, names: resolved }).value;
    expect(page).not.toContain("<img");
    expect(page).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Mallory");
  });
});

function viewRequestedBy(requesterId: string): RunView {
  const at = new Date(clock).toISOString();
  return {
    run: {
      id: "00000000-0000-4000-8000-000000000000",
      workspaceId: slack.teamId,
      taskId: "task",
      channel: slack.channels.general.id,
      threadTs: "1.000001",
      source: "mention",
      requesterId,
      scheduleId: null,
      prompt: "hello",
      status: "completed",
      stopReason: null,
      createdAt: at,
      startedAt: at,
      endedAt: at,
      durationMs: 0,
    },
    steps: [],
    approvals: [],
    artifacts: [],
    totals: {
      steps: 0,
      inputTokens: 0,
      outputTokens: 0,
      cachedTokens: 0,
      costUsd: 0,
      stepTimeMs: 0,
      retries: 0,
      toolErrors: 0,
    },
  };
}
