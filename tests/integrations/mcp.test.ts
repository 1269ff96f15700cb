import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toolDefinitions } from "../../src/harness/definitions.js";
import { createMcpManager, type McpManager } from "../../src/integrations/mcp/manager.js";
import { inputSchemaOf } from "../../src/integrations/mcp/schema.js";
import { acceptReadOnlyTools, saveMcpServer } from "../../src/integrations/mcp/servers.js";
import { createLogger } from "../../src/logger.js";
import { createSealer } from "../../src/security/seal.js";
import { deriveKey } from "../../src/security/signing.js";
import type { Database } from "../../src/storage/database.js";
import type { Tool, ToolContext } from "../../src/tools/tool.js";
import { stdioServerCommand } from "../support/mcp-server.js";
import { type HttpMcpServer, startHttpMcpServer } from "../support/mcp-server-http.js";
import { testDatabase, testEncryptionKey } from "../support/stack.js";

/**
 * MCP servers as tools: a real stdio server (a child process) and a real Streamable HTTP server, both
 * through the official SDK client. Schemas, risk, sealed secrets, errors, crashes, hangs, reconnects.
 */
describe("MCP tools", () => {
  let database: Database;
  let manager: McpManager;
  let remote: HttpMcpServer;
  let clock = Date.now();
  const sealer = createSealer(deriveKey(testEncryptionKey, "seal"));
  const workspaceId = "T_MCP";
  const token = "remote-token-123";

  beforeAll(async () => {
    ({ database } = await testDatabase());
    remote = await startHttpMcpServer({ name: "remote", token });
    await database.workspace.create({ data: { id: workspaceId } });
    await saveMcpServer(database, sealer, {
      workspaceId,
      name: "local",
      transport: "stdio",
      ...stdioServerCommand("local"),
      secrets: { env: { TEST_MCP_SECRET: "s3cret" } },
    });
    await saveMcpServer(database, sealer, {
      workspaceId,
      name: "remote",
      transport: "http",
      url: remote.url,
      secrets: { headers: { Authorization: `Bearer ${token}` } },
    });
    manager = createMcpManager({
      database,
      sealer,
      logger: createLogger("silent"),
      now: () => clock,
      callTimeoutMs: 1500,
      retryAfterMs: 10_000,
    });
  });
  afterAll(async () => {
    await manager?.close();
    await remote?.close();
    await database?.$disconnect();
  });

  const context = (): ToolContext => ({
    workspaceId,
    userId: "U1",
    channel: "C1",
    threadTs: "1.1",
    runId: "run-1",
    idempotencyKey: "run-1:1:call",
    logger: createLogger("silent"),
    signal: new AbortController().signal,
    services: {},
  });
  const tools = async () => new Map((await manager.toolsFor(workspaceId)).map((tool) => [tool.name, tool]));
  const call = async (name: string, input: Record<string, unknown>) => {
    const tool = (await tools()).get(name);
    if (!tool) throw new Error(`no tool ${name}`);
    return tool.execute(tool.input.parse(input), context());
  };

  it("offers each server's tools as <server>__<tool>, needing approval unless accepted as read-only", async () => {
    const listed = await tools();
    expect([...listed.keys()].filter((name) => name.startsWith("local__")).sort()).toEqual(
      ["add", "conditional", "crash", "create_ticket", "echo", "fail", "hang", "secret"].map(
        (name) => `local__${name}`,
      ),
    );
    expect(listed.has("remote__echo")).toBe(true);
    expect(listed.get("local__echo")?.risk).toBe("write");

    await acceptReadOnlyTools(database, { workspaceId, name: "local" }, ["echo", "create_ticket"]);
    const again = await tools();
    expect(again.get("local__echo")?.risk).toBe("read");
    // The server does not mark create_ticket read-only: accepting it changes nothing.
    expect(again.get("local__create_ticket")?.risk).toBe("write");
    expect(again.get("remote__echo")?.risk).toBe("write");
    expect(again.get("local__add")?.description).toBe(
      'Adds two numbers (tool "add" of the local MCP server)',
    );
  });

  it("calls tools over stdio and HTTP", async () => {
    expect(await call("local__echo", { text: "hi" })).toMatchObject({
      content: "local says: hi",
      untrusted: true,
    });
    expect(await call("remote__echo", { text: "hey" })).toMatchObject({
      content: "remote says: hey",
      isError: false,
    });
    expect((await call("remote__add", { a: 2, b: 3 })).content).toBe("5");
    expect(remote.calls.map((item) => item.name)).toEqual(["echo", "add"]);
  });

  it("converts JSON Schema inputs to zod, and validates what zod cannot express with the SDK's validator", async () => {
    const listed = await tools();
    const add = listed.get("local__add")!;
    expect(add.input.safeParse({ a: 1, b: 2 }).success).toBe(true);
    expect(add.input.safeParse({ a: "1", b: 2 }).success).toBe(false);
    expect(add.input.safeParse({ a: 1, b: 2, c: 3 }).success).toBe(false);
    const ticket = listed.get("local__create_ticket")!;
    expect(ticket.input.safeParse({ title: "ab" }).success).toBe(false);
    expect(ticket.input.safeParse({ title: "abc", priority: "urgent" }).success).toBe(false);

    const conditional = listed.get("local__conditional")!;
    expect(conditional.input.safeParse({ urgent: true }).success).toBe(false);
    expect(conditional.input.safeParse({ urgent: true, reason: "fire" }).success).toBe(true);
    expect(conditional.input.safeParse({ urgent: false }).success).toBe(true);
    const shown = toolDefinitions([conditional as Tool]).at(0)!.parameters;
    expect(shown).toMatchObject({
      if: { properties: { urgent: { const: true } } },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, on purpose.
      then: { required: ["reason"] },
    });
    expect((await call("local__conditional", { urgent: true, reason: "fire" })).content).toBe(
      'got {"urgent":true,"reason":"fire"}',
    );
    expect(() =>
      inputSchemaOf({ type: "object", properties: { x: { not: { type: "string" } } } }),
    ).not.toThrow();
  });

  it("keeps server secrets sealed and passes them to the server", async () => {
    const rows = await database.mcpServer.findMany({ where: { workspaceId } });
    for (const row of rows) {
      expect(row.secretsSealed?.startsWith("v1.")).toBe(true);
      expect(row.secretsSealed).not.toContain("s3cret");
      expect(row.secretsSealed).not.toContain(token);
    }
    expect((await call("local__secret", {})).content).toBe("secret received");
    expect(remote.refused).toBe(0);
  });

  it("returns a tool's error result as an error, not a failure", async () => {
    expect(await call("local__fail", {})).toMatchObject({ content: "the widget is broken", isError: true });
  });

  it("contains a crashing stdio server and starts it again on the next call", async () => {
    const crashed = await call("local__crash", {});
    expect(crashed.isError).toBe(true);
    expect(crashed.content).toContain("The local MCP server failed on crash");
    expect(await call("local__echo", { text: "back" })).toMatchObject({ content: "local says: back" });
  });

  it("times out a hung call and recovers", async () => {
    const started = Date.now();
    const hung = await call("remote__hang", {});
    expect(hung.isError).toBe(true);
    expect(hung.content).toMatch(/timed out/i);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await call("remote__echo", { text: "still here" })).content).toBe("remote says: still here");
  });

  it("leaves out a server that is down, and reconnects once it is back", async () => {
    const crashed = await call("remote__crash", {});
    expect(crashed.isError).toBe(true);
    const whileDown = await manager.toolsFor(workspaceId);
    expect(whileDown.some((tool) => tool.name.startsWith("remote__"))).toBe(false);
    expect(whileDown.some((tool) => tool.name === "local__echo")).toBe(true);

    await remote.restart();
    // Not retried before retryAfterMs...
    expect((await manager.toolsFor(workspaceId)).some((tool) => tool.name === "remote__echo")).toBe(false);
    clock += 11_000;
    expect((await call("remote__echo", { text: "again" })).content).toBe("remote says: again");
  });

  it("refuses a server whose credentials are wrong, and keeps workspaces apart", async () => {
    await database.workspace.create({ data: { id: "T_OTHER" } });
    await saveMcpServer(database, sealer, {
      workspaceId: "T_OTHER",
      name: "remote",
      transport: "http",
      url: remote.url,
      secrets: { headers: { Authorization: "Bearer wrong" } },
    });
    const other = await manager.toolsFor("T_OTHER");
    expect(other).toEqual([]);
    expect(remote.refused).toBeGreaterThan(0);
    expect(await manager.toolsFor("T_NONE")).toEqual([]);
  });
});
