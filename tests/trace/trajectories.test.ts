import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { scriptedModel } from "../../src/harness/model/scripted.js";
import { inOrder, textReply, toolCallReply } from "../../src/harness/model/scripts.js";
import { createRedactor } from "../../src/security/redact.js";
import type { Database } from "../../src/storage/database.js";
import { defineTool } from "../../src/tools/tool.js";
import { trajectories } from "../../src/trace/trajectories.js";
import { createTestHarness } from "../support/harness.js";
import { testDatabase } from "../support/stack.js";

const plantedSecret = "planted-secret-value-4f9a8c";
const slackToken = "xoxb-1234567890-abcdefghijklmnop";

let database: Database;
beforeAll(async () => {
  ({ database } = await testDatabase());
});

const leaky = defineTool({
  name: "leaky",
  description: "Returns text containing secrets.",
  input: z.object({}),
  risk: "read",
  timeoutMs: 1000,
  outputLimit: 5000,
  execute: async () => ({
    content: `config: token=${slackToken} key=${plantedSecret} Authorization: Bearer abcdefghijklmnopqrstuvwxyz`,
  }),
});

async function exported(filter: Parameters<typeof trajectories>[1]) {
  const lines: string[] = [];
  for await (const line of trajectories(database, filter, createRedactor([plantedSecret]))) lines.push(line);
  return lines;
}

describe("trajectory export", () => {
  it("writes one JSON line per run with its outcome and steps, and no secrets", async () => {
    const model = scriptedModel(inOrder(toolCallReply("leaky", {}), textReply(`Found ${plantedSecret}`)));
    const harness = createTestHarness(database, { model, tools: [leaky] });
    const completed = await harness.createRun("find the config");
    await harness.execute(completed);
    const stopped = await harness.createRun("never ends");
    await database.run.update({
      where: { id: stopped },
      data: { status: "stopped", stopReason: "max_steps" },
    });

    const lines = await exported({});
    const records = lines.map((line) => JSON.parse(line));
    const byId = new Map(records.map((record) => [record.runId, record]));
    expect(byId.get(completed)).toMatchObject({ format: 1, outcome: "completed", prompt: "find the config" });
    expect(byId.get(completed).steps.map((step: { kind: string }) => step.kind)).toEqual([
      "model",
      "tool",
      "model",
    ]);
    expect(byId.get(stopped)).toMatchObject({ outcome: "stopped", stopReason: "max_steps" });
    const all = lines.join("\n");
    expect(all).toContain("[redacted]");
    expect(all).not.toContain(plantedSecret);
    expect(all).not.toContain(slackToken);
    expect(all).not.toContain("abcdefghijklmnopqrstuvwxyz");

    expect((await exported({ outcomes: ["stopped"] })).map((line) => JSON.parse(line).runId)).toEqual([
      stopped,
    ]);
    expect(await exported({ workspaceId: "T_OTHER" })).toEqual([]);
    expect(await exported({ since: new Date(Date.now() + 60_000) })).toEqual([]);
  });
});
