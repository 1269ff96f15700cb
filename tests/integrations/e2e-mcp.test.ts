import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMcpManager, type McpManager } from "../../src/integrations/mcp/manager.js";
import { acceptReadOnlyTools, saveMcpServer } from "../../src/integrations/mcp/servers.js";
import { approvalActions } from "../../src/slack/blocks/approval.js";
import type { FakeReply, FakeRequestBody } from "../support/fake-model-server.js";
import { stdioServerCommand } from "../support/mcp-server.js";
import { type HttpMcpServer, startHttpMcpServer } from "../support/mcp-server-http.js";
import { approvalRequest, privateAnswer, privateApprovalRequest } from "./support/approval.js";
import { type IntegrationStack, startIntegrationStack } from "./support/stack.js";

/**
 * MCP tools in real runs: the worker offers a stdio and an HTTP MCP server's tools; the model calls
 * them; a server that crashes mid-run gives the model an error and the run still finishes; a tool
 * not accepted as read-only waits for approval.
 */
describe("runs with MCP tools", () => {
  let stack: IntegrationStack;
  let manager: McpManager;
  let remote: HttpMcpServer;

  const results = (body: FakeRequestBody) =>
    body.messages.filter((message) => message.role === "tool").map((message) => String(message.content));

  function reply(body: FakeRequestBody): FakeReply {
    const prompt = JSON.stringify(body.messages.find((message) => message.role === "user")?.content ?? "");
    const done = results(body);
    if (prompt.includes("file a ticket")) {
      return done.length === 0
        ? {
            toolCalls: [
              { name: "local__create_ticket", arguments: { title: "Printer on fire", priority: "high" } },
            ],
          }
        : { text: `Ticket: ${done[0]}` };
    }
    const plan = [
      { name: "local__echo", arguments: { text: "ping" } },
      { name: "remote__add", arguments: { a: 20, b: 22 } },
      { name: "local__crash", arguments: {} },
      { name: "remote__echo", arguments: { text: "after the crash" } },
    ];
    const next = plan[done.length];
    return next ? { toolCalls: [next] } : { text: `Results: ${done.join(" || ")}` };
  }

  beforeAll(async () => {
    remote = await startHttpMcpServer({ name: "remote", token: "t0ken" });
    stack = await startIntegrationStack({
      reply,
      tools: async ({ slack }) => manager.toolsFor(slack.teamId),
    });
    const { database, services, slack } = stack;
    manager = createMcpManager({
      database,
      sealer: services.sealer,
      logger: services.logger,
      now: Date.now,
      callTimeoutMs: 5000,
    });
    await saveMcpServer(database, services.sealer, {
      workspaceId: slack.teamId,
      name: "local",
      transport: "stdio",
      ...stdioServerCommand("local"),
    });
    await saveMcpServer(database, services.sealer, {
      workspaceId: slack.teamId,
      name: "remote",
      transport: "http",
      url: remote.url,
      secrets: { headers: { Authorization: "Bearer t0ken" } },
    });
    await acceptReadOnlyTools(database, { workspaceId: slack.teamId, name: "local" }, ["echo", "crash"]);
    await acceptReadOnlyTools(database, { workspaceId: slack.teamId, name: "remote" }, ["echo", "add"]);
  });
  afterAll(async () => {
    await stack?.close();
    await manager?.close();
    await remote?.close();
  });

  it("calls stdio and HTTP MCP tools, and survives a server crashing mid-run", async () => {
    const { slack, database } = stack;
    const asked = await slack.mention({
      user: slack.users.alice,
      channel: slack.channels.general,
      text: "try the tools",
    });
    // MCP results are the requester's alone by default: the answer reaches alice privately.
    const answer = await privateAnswer(slack, "alice", "Results:");
    const parts = answer.text.replace(/^.*Results: /s, "").split(" || ");
    expect(parts[0]).toContain("local says: ping");
    expect(parts[1]).toContain("42");
    expect(parts[2]).toContain("The local MCP server failed on crash");
    expect(parts[3]).toContain("remote says: after the crash");
    const run = await database.run.findFirstOrThrow({ where: { triggerTs: asked.ts } });
    await expect
      .poll(async () => (await database.run.findUniqueOrThrow({ where: { id: run.id } })).status)
      .toBe("completed");
    expect(await database.approval.count({ where: { runId: run.id } })).toBe(0);
    expect(remote.calls.map((call) => call.name)).toEqual(["add", "echo"]);
  });

  it("asks for approval before a tool the admin has not accepted as read-only", async () => {
    const { slack, database } = stack;
    const alice = slack.users.alice;
    const asked = await slack.mention({
      user: alice,
      channel: slack.channels.general,
      text: "file a ticket about the printer",
    });
    const approvalMessage = await approvalRequest(slack, asked.ts);
    expect(JSON.stringify(approvalMessage.blocks)).not.toContain("Printer on fire");
    expect(JSON.stringify((await privateApprovalRequest(slack, "alice")).blocks)).toContain(
      "Printer on fire",
    );
    await slack.clickButton({
      user: alice,
      channel: slack.channels.general,
      messageTs: approvalMessage.ts,
      actionId: approvalActions.approve,
    });
    const answer = await privateAnswer(slack, "alice", "Ticket:");
    expect(answer.text).toContain('Created ticket "Printer on fire" (high) as T-1');
    const approval = await database.approval.findFirstOrThrow({ where: { tool: "local__create_ticket" } });
    expect(approval.status).toBe("approved");
  });
});
