import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { RunRecord } from "../../src/harness/loop.js";
import { contextLabel } from "../../src/harness/run-flow.js";
import { parseState, stateVersion } from "../../src/harness/state.js";

/**
 * A checkpoint written by an older build resumes on this one: version 1 (before information flow)
 * is upgraded, and what it read, unknown, is taken as the most private label.
 */
const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./state-fixtures/${name}`, import.meta.url), "utf8")) as unknown;

describe("run state upgrades", () => {
  it("upgrades a version 1 checkpoint and gives it the most private context label", async () => {
    const state = parseState(fixture("v1.json"));
    expect(state.version).toBe(stateVersion);
    expect(state.pending).toHaveLength(1);
    expect(state.flow).toEqual({ requesterWords: [], approved: [] });
    const run = {
      channel: "C_PRIVATE",
      requesterId: "U_ALICE",
      prompt: "Summarise #acquisition",
    } as RunRecord;
    const directory = { conversation: async () => undefined, members: async () => [] };
    const label = await contextLabel(state, run, directory);
    expect(label).toEqual({ readers: ["conversation:C_PRIVATE", "user:U_ALICE"], untrusted: true });
    expect(state.flow.requesterWords).toEqual(["Summarise #acquisition"]);
  });
});
