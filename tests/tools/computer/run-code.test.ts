import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { isCodedError } from "../../../src/errors.js";
import { createLogger } from "../../../src/logger.js";
import { LocalSandbox } from "../../../src/tools/computer/local-sandbox.js";
import { offerRunCode, type RunCodeInput, runCodeTool } from "../../../src/tools/computer/run-code.js";
import type { Sandbox } from "../../../src/tools/computer/sandbox.js";
import { sandboxTaskId } from "../../../src/tools/computer/task-id.js";
import type { ToolContext } from "../../../src/tools/tool.js";
import { createTestSandbox } from "./sandbox-fixture.js";

function contextFor(
  sandbox: Sandbox | undefined,
  threadTs: string,
  signal = new AbortController().signal,
  userId = "U1",
): ToolContext {
  return {
    workspaceId: "T1",
    userId,
    channel: "C1",
    threadTs,
    runId: "run-1",
    idempotencyKey: "run-1:0:0",
    logger: createLogger("silent"),
    signal,
    services: sandbox ? { sandbox } : {},
  };
}

function call(input: Record<string, unknown>, context: ToolContext) {
  return runCodeTool.execute(runCodeTool.input.parse(input), context);
}

describe("run_code", () => {
  let sandbox: LocalSandbox;
  let root: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ sandbox, root, cleanup } = await createTestSandbox());
  });

  afterAll(() => cleanup());

  it("describes every input field and bounds the timeout", () => {
    const schema = z.toJSONSchema(runCodeTool.input) as {
      properties: Record<string, { description?: string }>;
    };
    for (const [name, field] of Object.entries(schema.properties)) {
      expect(field.description, name).toBeTruthy();
    }
    expect(runCodeTool.input.safeParse({ language: "python", code: "print(1)" }).success).toBe(true);
    expect(runCodeTool.input.safeParse({ language: "ruby", code: "puts 1" }).success).toBe(false);
    expect(runCodeTool.input.safeParse({ language: "shell", code: "" }).success).toBe(false);
    expect(runCodeTool.input.safeParse({ language: "shell", code: "ls", timeoutSeconds: 0 }).success).toBe(
      false,
    );
    expect(runCodeTool.input.safeParse({ language: "shell", code: "ls", timeoutSeconds: 301 }).success).toBe(
      false,
    );
    expect(runCodeTool).toMatchObject({ name: "run_code", risk: "write" });
    expect(runCodeTool.timeoutMs).toBeGreaterThan(300_000);
  });

  it("summarizes a call in one line", () => {
    const input: RunCodeInput = { language: "python", code: "import csv\nprint(1)" };
    expect(runCodeTool.summarize?.(input)).toBe("Run python in the sandbox: import csv");
  });

  it("runs code in the thread's workspace and shows output and files", async () => {
    const context = contextFor(sandbox, "1700000000.000100");
    const written = await call({ language: "shell", code: "echo hello | tee greeting.txt" }, context);
    expect(written.isError).toBe(false);
    expect(written.untrusted).toBe(true);
    expect(written.content).toContain("Exit code 0.");
    expect(written.content).toContain("stdout:\nhello\n");
    expect(written.content).toContain("* greeting.txt (6 bytes)");

    const read = await call(
      { language: "python", code: "print(open('greeting.txt').read().upper())" },
      context,
    );
    expect(read.content).toContain("HELLO");
    expect(read.content).toContain("  greeting.txt (6 bytes)");
    const taskId = sandboxTaskId({
      workspaceId: "T1",
      channel: "C1",
      threadTs: "1700000000.000100",
      userId: "U1",
    });
    expect(sandbox.workspaceDirectory(taskId).startsWith(root)).toBe(true);

    const otherThread = await call(
      { language: "shell", code: "cat greeting.txt" },
      contextFor(sandbox, "1700000000.000200"),
    );
    expect(otherThread.isError).toBe(true);
    expect(otherThread.content).toContain("No such file or directory");

    // Someone else who asks in the same thread works in a folder of their own.
    const otherPerson = await call(
      { language: "shell", code: "cat greeting.txt" },
      contextFor(sandbox, "1700000000.000100", new AbortController().signal, "U2"),
    );
    expect(otherPerson.isError).toBe(true);
    expect(otherPerson.content).toContain("No such file or directory");
    expect(otherPerson.content).not.toContain("hello");
  });

  it("reports a failing exit and a timeout as errors", async () => {
    const context = contextFor(sandbox, "1700000000.000300");
    const failed = await call({ language: "node", code: "throw new Error('broken')" }, context);
    expect(failed.isError).toBe(true);
    expect(failed.content).toContain("Exit code 1.");
    expect(failed.content).toContain("Error: broken");

    const slow = await call({ language: "shell", code: "sleep 30", timeoutSeconds: 1 }, context);
    expect(slow.isError).toBe(true);
    expect(slow.content).toContain("Timed out after 1 s: killed.");
  });

  it("is cancelled with the run", async () => {
    const controller = new AbortController();
    const running = call(
      { language: "shell", code: "sleep 30" },
      contextFor(sandbox, "1700000000.000400", controller.signal),
    );
    setTimeout(() => controller.abort(), 200);
    const error = await running.catch((caught: unknown) => caught);
    expect(isCodedError(error, "run_cancelled")).toBe(true);
  });

  it("says so when no sandbox is configured", async () => {
    const result = await call({ language: "shell", code: "ls" }, contextFor(undefined, "1700000000.000500"));
    expect(result).toEqual({ content: expect.stringContaining("not available"), isError: true });
  });

  it("is offered only for the languages that work, or not at all with the reason", async () => {
    const offered = await offerRunCode(new LocalSandbox({ root, pythonPath: "/nonexistent/python3" }));
    if (!offered.offered) throw new Error(offered.reason);
    expect(offered.tool.input.safeParse({ language: "python", code: "print(1)" }).success).toBe(false);
    expect(offered.tool.input.safeParse({ language: "node", code: "1" }).success).toBe(true);
    expect(offered.unavailable.map((entry) => entry.language)).toEqual(["python"]);

    const refused = await offerRunCode(new LocalSandbox({ root, bubblewrapPath: "/nonexistent/bwrap" }));
    expect(refused).toEqual({ offered: false, reason: "bubblewrap not found at /nonexistent/bwrap" });
  });
});
