import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../src/storage/database.js";
import {
  forgetMemory,
  listMemories,
  MemoryFullError,
  memoryLimits,
  saveMemory,
  searchMemories,
  shortMemoryId,
} from "../../../src/tools/memory/store.js";
import { testDatabase } from "../../support/stack.js";

let database: Database;
const workspaceId = "T_MEMORY";

beforeAll(async () => {
  ({ database } = await testDatabase());
});
afterAll(async () => {
  await database.$disconnect();
});

function save(
  scope: "user" | "channel" | "workspace",
  scopeId: string,
  content: string,
  createdBy = "U_ALICE",
) {
  return saveMemory(database, { workspaceId, scope, scopeId, content, createdBy });
}

describe("memory store", () => {
  it("finds memories by full-text search with stemming, best match first, any word of the query", async () => {
    await save("workspace", workspaceId, "The release train leaves every Thursday at noon");
    await save("workspace", workspaceId, "Quarterly reports are written in Google Docs");
    await save("user", "U_ALICE", "Alice prefers reports as CSV files with a summary row");
    await save("workspace", "T_OTHER", "ignored"); // another scope id, same workspace row: still workspace-wide

    const viewer = { workspaceId, userId: "U_ALICE", channel: "C_GENERAL" };
    const reports = await searchMemories(database, viewer, "Can you write the weekly report?", 10);
    expect(reports.map((memory) => memory.content).sort()).toEqual([
      "Alice prefers reports as CSV files with a summary row",
      "Quarterly reports are written in Google Docs",
    ]);
    const ranked = await searchMemories(database, viewer, "report csv summary", 10);
    expect(ranked[0]?.content).toBe("Alice prefers reports as CSV files with a summary row");
    expect(await searchMemories(database, viewer, "when do releases ship?", 10)).toHaveLength(1);
    expect(await searchMemories(database, viewer, "the and of", 10)).toEqual([]);
    expect(await searchMemories(database, viewer, "", 10)).toEqual([]);
  });

  it("shows a run only the requester's, its channel's and the workspace's memories", async () => {
    await save("user", "U_BOB", "Bob's secret favorite deploy day is Monday", "U_BOB");
    await save("channel", "C_SECRET", "Deploy freeze in the secret channel", "U_BOB");
    await save("channel", "C_GENERAL", "Deploy notes go to #general");

    const alice = { workspaceId, userId: "U_ALICE", channel: "C_GENERAL" };
    const found = await searchMemories(database, alice, "deploy", 10);
    expect(found.map((memory) => memory.content)).toEqual(["Deploy notes go to #general"]);

    const bob = { workspaceId, userId: "U_BOB", channel: "C_SECRET" };
    expect(
      (await searchMemories(database, bob, "deploy", 10)).map((memory) => memory.content).sort(),
    ).toEqual(["Bob's secret favorite deploy day is Monday", "Deploy freeze in the secret channel"]);
    // Managing them (App Home): Bob also sees what he created in other channels.
    const managing = await listMemories(database, { workspaceId, userId: "U_BOB", includeCreated: true }, 50);
    expect(managing.memories.map((memory) => memory.content)).toContain(
      "Deploy freeze in the secret channel",
    );
    const elsewhere = await listMemories(database, { workspaceId, userId: "U_CAROL" }, 50);
    expect(elsewhere.memories.every((memory) => memory.scope === "workspace")).toBe(true);
  });

  it("keeps the same text once per scope and caps each scope", async () => {
    const first = await save("user", "U_DUP", "Dana likes tea");
    const again = await save("user", "U_DUP", "  Dana likes tea ");
    expect(again.id).toBe(first.id);
    await database.memory.createMany({
      data: Array.from({ length: memoryLimits.perScope - 1 }, (_, index) => ({
        workspaceId,
        scope: "user",
        scopeId: "U_DUP",
        content: `fact ${index}`,
      })),
    });
    await expect(save("user", "U_DUP", "one too many")).rejects.toBeInstanceOf(MemoryFullError);
  });

  it("forgets a memory the viewer can see, by its short id, and nothing else", async () => {
    const bobs = await save("user", "U_BOB", "Bob is on call this week", "U_BOB");
    const alice = { workspaceId, userId: "U_ALICE", channel: "C_GENERAL" };
    expect(await forgetMemory(database, alice, shortMemoryId(bobs.id))).toEqual({ type: "not_found" });
    expect(await forgetMemory(database, alice, "abc")).toEqual({ type: "not_found" });

    const bob = { workspaceId, userId: "U_BOB" };
    const outcome = await forgetMemory(database, bob, shortMemoryId(bobs.id).toUpperCase());
    expect(outcome).toMatchObject({ type: "forgotten", memory: { id: bobs.id } });
    expect(await database.memory.findUnique({ where: { id: bobs.id } })).toBeNull();
  });
});
