import { z } from "zod";
import { CodedError } from "../../../src/errors.js";
import { publicLabel, webLabel } from "../../../src/harness/labels.js";
import type { Model } from "../../../src/harness/model/model.js";
import { scriptedModel } from "../../../src/harness/model/scripted.js";
import { inOrder, textReply, toolCallReply } from "../../../src/harness/model/scripts.js";
import type { Database } from "../../../src/storage/database.js";
import { defineTool, type Tool } from "../../../src/tools/tool.js";
import { createTestHarness } from "../../support/harness.js";

/**
 * A recorded run for replay tests, made by the real harness on a real database: the model looks up a
 * city's weather (a read tool whose long answer is clipped into an artifact), sends a note (a write
 * that waits for approval, approved by U_BOB), and answers.
 */
export const forecastLines = Array.from(
  { length: 40 },
  (_, hour) => `${String(hour % 24).padStart(2, "0")}:00 4°C`,
);

export function lookupTool(
  overrides: Partial<Pick<Tool, "risk">> & { answer?: (city: string) => string; strictInput?: boolean } = {},
): Tool {
  const input = overrides.strictInput
    ? z.object({ city: z.string(), country: z.string().describe("ISO country code") })
    : z.object({ city: z.string().describe("City name") });
  return defineTool({
    name: "lookup_weather",
    description: "Looks up the weather forecast for a city.",
    input: input as z.ZodType<{ city: string }>,
    risk: overrides.risk ?? "read",
    timeoutMs: 5000,
    outputLimit: 300,
    execute: async ({ city }) => ({
      content: overrides.answer?.(city) ?? `Forecast for ${city}:\n${forecastLines.join("\n")}`,
      untrusted: true,
      // A public forecast: anyone may read it.
      label: webLabel,
    }),
  }) as Tool;
}

export const sendNoteTool: Tool = defineTool({
  name: "send_note",
  description: "Sends a note to a channel.",
  input: z.object({ channel: z.string(), text: z.string() }),
  risk: "write",
  timeoutMs: 5000,
  outputLimit: 2000,
  summarize: ({ channel }) => `Send a note to ${channel}`,
  execute: async ({ channel }) => ({ content: `sent to ${channel}`, label: publicLabel }),
}) as Tool;

export function sampleScript(): Model {
  return scriptedModel(
    inOrder(
      toolCallReply("lookup_weather", { city: "Oslo" }, { text: "Let me check." }),
      toolCallReply("send_note", { channel: "#general", text: "Oslo: 4°C all day." }),
      textReply("Sent the forecast to #general."),
    ),
    { name: "scripted-model" },
  );
}

/** Runs the sample to completion (approving the note as U_BOB) and returns its id. */
export async function recordSampleRun(
  database: Database,
  options: { prompt?: string; model?: Model } = {},
): Promise<string> {
  const harness = createTestHarness(database, {
    model: options.model ?? sampleScript(),
    tools: [lookupTool(), sendNoteTool],
  });
  const runId = await harness.createRun(options.prompt ?? "Send today's Oslo forecast to #general");
  if ((await harness.execute(runId)) !== "parked") throw new Error("the sample run should wait for approval");
  await database.approval.updateMany({
    where: { runId, status: "pending" },
    data: { status: "approved", decidedBy: "U_BOB", decidedAt: new Date() },
  });
  const outcome = await harness.execute(runId);
  if (outcome !== "completed") throw new Error(`the sample run ended ${outcome}`);
  return runId;
}

/** A run whose model fails for good on its second turn. */
export async function recordFailingRun(database: Database): Promise<string> {
  const model = scriptedModel(
    inOrder(toolCallReply("lookup_weather", { city: "Bergen" }), () => {
      throw new CodedError("model_permanent", "The model rejected the request (400).");
    }),
  );
  const harness = createTestHarness(database, { model, tools: [lookupTool()] });
  const runId = await harness.createRun("Weather in Bergen?");
  await harness.execute(runId);
  return runId;
}
