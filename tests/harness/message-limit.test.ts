import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { scriptedModel } from "../../src/harness/model/scripted.js";
import { lastToolResult, textReply, toolCallReply } from "../../src/harness/model/scripts.js";
import { threadContext } from "../../src/harness/prompt.js";
import type { Database } from "../../src/storage/database.js";
import { createReadArtifactTool } from "../../src/tools/artifacts/read-artifact.js";
import { defineTool } from "../../src/tools/tool.js";
import { createTestHarness } from "../support/harness.js";
import { testDatabase } from "../support/stack.js";

/**
 * A 1 MB message (a mention, a reply while the run works, an earlier message in the thread, a shared
 * file) reaches the prompt as a preview within the message limit; the model reads the rest back.
 */
let database: Database;
beforeAll(async () => {
  ({ database } = await testDatabase());
});

/** About 1 MB with markers at the start, in the middle and at the end. */
function megabyte(label: string): string {
  const filler = (part: string) =>
    `${part} `.repeat(Math.ceil(500_000 / (part.length + 1))).slice(0, 500_000);
  return `${label}-START ${filler("alpha")}\n${label}-MIDDLE\n${filler("omega")} ${label}-END`;
}

const sharedFile = defineTool({
  name: "read_shared_file",
  description: "Reads a file someone shared.",
  input: z.object({}),
  risk: "read",
  timeoutMs: 5000,
  outputLimit: 20_000,
  messageContent: true,
  execute: async () => ({ content: megabyte("FILE"), untrusted: true }),
});

describe("the message limit", () => {
  it("keeps 1 MB mentions, replies and files out of the prompt and readable with read_artifact", async () => {
    let runId = "";
    const model = scriptedModel(async (request, turn) => {
      if (turn === 0) {
        await harness.replyInThread(runId, megabyte("REPLY"));
        return toolCallReply("read_shared_file", {});
      }
      if (turn === 1) {
        const handle = /artifact (art_[0-9a-f]+)/.exec(request.messages[1]!.content)![1];
        return toolCallReply("read_artifact", { artifactId: handle, find: "MENTION-MIDDLE" });
      }
      return textReply("done");
    });
    const harness = createTestHarness(database, {
      model,
      tools: [sharedFile, createReadArtifactTool({ database })],
    });
    runId = await harness.createRun(megabyte("MENTION"));
    expect(await harness.execute(runId)).toBe("completed");

    const prompts = model.requests.map((request) => JSON.stringify(request.messages));
    for (const prompt of prompts) expect(prompt.length).toBeLessThan(60_000);
    // The file is held to the message limit (8,000), not to the tool's own output limit (20,000).
    expect(lastToolResult(model.requests[1]!)!.content.length).toBeLessThan(9_000);
    // Each of the three keeps its start and end in view; its middle only through read_artifact.
    for (const label of ["MENTION", "REPLY", "FILE"]) {
      expect(prompts[2]).toContain(`${label}-START`);
      expect(prompts[2]).toContain(`${label}-END`);
    }
    expect(prompts[1]).not.toContain("MENTION-MIDDLE");
    expect(lastToolResult(model.requests[2]!)?.content).toContain("MENTION-MIDDLE");

    const artifacts = await database.artifact.findMany({ where: { runId }, select: { size: true } });
    expect(artifacts).toHaveLength(3);
    for (const artifact of artifacts) expect(artifact.size).toBeGreaterThan(1_000_000);
  });

  it("limits each earlier message of the thread, to the configured size", async () => {
    const harness = createTestHarness(database, { model: undefined });
    const runId = await harness.createRun("summarize the thread");
    const run = await database.run.findUniqueOrThrow({ where: { id: runId }, include: { task: true } });
    await database.threadMessage.create({
      data: {
        workspaceId: run.workspaceId,
        channel: run.channel,
        threadTs: run.task.threadTs,
        ts: "0.1",
        userId: "U_BOB",
        text: megabyte("EARLIER"),
      },
    });
    const [context] = await threadContext(database, run, 2_000);
    expect(context!.length).toBeLessThan(3_000);
    expect(context).toContain("EARLIER-START");
    expect(context).toMatch(/artifact art_[0-9a-f]+/);
  });
});
