import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toolDefinitions } from "../../src/harness/definitions.js";
import type { RunRecord } from "../../src/harness/loop.js";
import { createLogger } from "../../src/logger.js";
import { harnessServices } from "../../src/roles/worker.js";
import { createServices } from "../../src/services.js";
import type { Database } from "../../src/storage/database.js";
import { LocalSandbox } from "../../src/tools/computer/local-sandbox.js";
import { createToolRegistry, type ToolRegistryOptions } from "../../src/tools/registry.js";
import { testConfig, testDatabase } from "../support/stack.js";

let database: Database;
let databaseUrl: string;
let sandboxRoot: string;

beforeAll(async () => {
  ({ database, url: databaseUrl } = await testDatabase());
  sandboxRoot = await mkdtemp(join(tmpdir(), "registry-sandbox-"));
});
afterAll(async () => {
  await database.$disconnect();
  await rm(sandboxRoot, { recursive: true, force: true });
});

function registryWith(options: ToolRegistryOptions) {
  const lines: Array<{ msg: string; reason?: string; workspaceId?: string }> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { registry: createToolRegistry({ database, logger: createLogger("info", sink) }, options), lines };
}

const slackAndMemory = [
  "read_messages",
  "find_messages",
  "look_up_people",
  "get_permalink",
  "read_file",
  "post_message",
  "react_in_thread",
  "add_reaction",
  "upload_file",
  "remember",
  "recall",
  "forget",
];

async function workspace(id: string, policy: unknown) {
  await database.workspace.upsert({
    where: { id },
    update: { policy: policy as never },
    create: { id, policy: policy as never },
  });
}

describe("tool registry", () => {
  it("builds fetch_url, the Slack and memory tools; web_search and run_code only when they can work, saying why", async () => {
    const { registry, lines } = registryWith({ sandbox: false });
    const names = (await registry.tools()).map((tool) => tool.name);
    expect(names).toEqual(["fetch_url", "read_artifact", ...slackAndMemory]);
    expect(lines.map((line) => line.msg)).toEqual([
      "web_search is not offered: no search API key is configured",
      "run_code is not offered: the sandbox is turned off",
    ]);
    expect(await registry.tools()).toBe(await registry.tools());

    const broken = registryWith({
      web: { searchApiKey: "test-key" },
      sandbox: new LocalSandbox({ root: sandboxRoot, bubblewrapPath: "/nonexistent/bwrap" }),
    });
    const brokenNames = (await broken.registry.tools()).map((tool) => tool.name);
    expect(brokenNames).toContain("web_search");
    expect(brokenNames).not.toContain("run_code");
    const refusal = broken.lines.find((line) => line.msg.startsWith("run_code is not offered"));
    expect(refusal?.reason).toBeTruthy();
  });

  it("offers run_code with its sandbox bound to the tool", async () => {
    const { registry } = registryWith({ sandbox: { root: sandboxRoot } });
    const runCode = (await registry.tools()).find((tool) => tool.name === "run_code");
    expect(runCode).toBeDefined();
    const result = await runCode!.execute(
      runCode!.input.parse({ language: "shell", code: "echo from-the-sandbox" }),
      {
        workspaceId: "T1",
        userId: "U1",
        channel: "C1",
        threadTs: "1700000000.000100",
        runId: "run-registry",
        idempotencyKey: "run-registry:1:call-1",
        logger: createLogger("silent"),
        signal: new AbortController().signal,
        services: {},
      },
    );
    expect(result.content).toContain("from-the-sandbox");
    expect(result.isError).toBe(false);
  });

  it("describes every input field of every tool to the model", async () => {
    const { registry } = registryWith({ web: { searchApiKey: "key" }, sandbox: { root: sandboxRoot } });
    for (const definition of toolDefinitions(await registry.tools())) {
      const properties = (definition.parameters.properties ?? {}) as Record<string, { description?: string }>;
      expect(Object.keys(properties).length, definition.name).toBeGreaterThan(0);
      for (const [field, schema] of Object.entries(properties)) {
        expect(schema.description, `${definition.name}.${field}`).toBeTruthy();
      }
    }
  });

  it("offers each run only what its workspace's policy and channel overrides allow", async () => {
    const { registry } = registryWith({ sandbox: false });
    await workspace("T_POLICY", {
      disabledTools: ["upload_file"],
      autoApprove: ["add_reaction"],
      approvers: ["U_ADMIN"],
      channels: {
        C_LOCKED: { allowedTools: ["read_messages", "recall", "upload_file"], alwaysApprove: ["recall"] },
        C_QUIET: { disabledTools: ["post_message"], autoApprove: [] },
      },
    });

    const general = await registry.toolset({ workspaceId: "T_POLICY", channel: "C_GENERAL" });
    expect([...general.tools.keys()]).not.toContain("upload_file");
    expect(general.tools.has("post_message")).toBe(true);
    expect(general.policy).toMatchObject({ autoApprove: ["add_reaction"], approvers: ["U_ADMIN"] });

    const locked = await registry.toolset({ workspaceId: "T_POLICY", channel: "C_LOCKED" });
    expect([...locked.tools.keys()]).toEqual(["read_messages", "recall"]);
    expect(locked.policy.alwaysApprove).toEqual(["recall"]);

    const quiet = await registry.toolset({ workspaceId: "T_POLICY", channel: "C_QUIET" });
    expect(quiet.tools.has("post_message")).toBe(false);
    expect(quiet.policy.autoApprove).toEqual([]);

    const unknown = await registry.toolset({ workspaceId: "T_NEW", channel: "C1" });
    expect(unknown.tools.size).toBe(2 + slackAndMemory.length);
  });

  it("offers nothing when the stored policy is malformed, and says so in the log", async () => {
    const { registry, lines } = registryWith({ sandbox: false });
    await workspace("T_BROKEN", { disabledTools: "post_message" });
    const toolset = await registry.toolset({ workspaceId: "T_BROKEN", channel: "C1" });
    expect(toolset.tools.size).toBe(0);
    expect(lines.some((line) => line.workspaceId === "T_BROKEN" && /policy is invalid/.test(line.msg))).toBe(
      true,
    );
  });

  it("is what the worker's harness uses for each run", async () => {
    const services = createServices(testConfig({ DATABASE_URL: databaseUrl }));
    try {
      const { registry } = registryWith({ sandbox: false });
      await workspace("T_WORKER", { channels: { C_READONLY: { allowedTools: ["read_messages"] } } });
      const harness = harnessServices(services, () => registry.tools());
      const run = {
        workspaceId: "T_WORKER",
        channel: "C_READONLY",
        requesterId: "U1",
        prompt: "When is the offsite?",
        triggerTs: "1700000000.000100",
        task: { threadTs: "1700000000.000100" },
      } as RunRecord;
      expect([...(await harness.toolset(run)).tools.keys()]).toEqual(["read_messages"]);

      // And each run starts with the memories that match its prompt.
      await database.memory.create({
        data: {
          workspaceId: "T_WORKER",
          scope: "workspace",
          scopeId: "T_WORKER",
          content: "The offsite is in June",
        },
      });
      // Only memories the run's conversation may read are given at start; with no Slack workspace
      // installed here, the conversation cannot be looked up, so none is (information flow, docs/security.md).
      expect(await harness.startContext?.(run)).toEqual([]);
      expect(await harness.startLabel?.(run)).toEqual({ readers: [], untrusted: false });
    } finally {
      await services.close();
    }
  });
});
