import { z } from "zod";
import { publicLabel } from "../../harness/labels.js";
import { defineTool, type Tool } from "../tool.js";
import { accessibleConversation } from "./access.js";
import { channelReference, slackTimestamp } from "./schemas.js";
import { slackClientOf } from "./services.js";
import { slackSink } from "./sinks.js";

export const uploadFileInput = z.object({
  filename: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[^/\\]+$/, "must be a file name without folders")
    .describe("The file's name with its extension, e.g. report.csv or notes.md"),
  content: z.string().min(1).max(1_000_000).describe("The file's whole text content"),
  channel: channelReference
    .optional()
    .describe(
      "Where to share it: #name, <#C0123|name> or an id. Omit to share it in the thread you were asked in.",
    ),
  thread_ts: slackTimestamp
    .optional()
    .describe("Share it in this thread of the channel (the ts of the thread's first message)"),
  title: z.string().trim().max(200).optional().describe("A title shown instead of the file name"),
  comment: z.string().trim().max(3000).optional().describe("A message posted with the file"),
});

export type UploadFileInput = z.infer<typeof uploadFileInput>;

/**
 * Shares a text file in Slack. A write (approval by default). It has no `reconcile`: Slack gives an
 * upload no key to find it by, so after a crash mid-upload the harness asks the person instead of
 * uploading twice.
 */
export const uploadFileTool: Tool<UploadFileInput> = defineTool<UploadFileInput>({
  name: "upload_file",
  description:
    "Share a text file (CSV, Markdown, JSON, code, a report) in Slack: in the thread you were asked in, or " +
    "in another channel the person who asked can see. Needs approval unless the workspace allows it.",
  input: uploadFileInput,
  risk: "write",
  timeoutMs: 120_000,
  outputLimit: 2_000,
  summarize: (input) =>
    `Share the file ${input.filename} (${input.content.length} characters) in ${input.channel ?? "this thread"}`,
  sinks: async (input, context) => [
    await slackSink(context, input.channel, `${input.filename}: ${input.comment ?? ""}\n${input.content}`),
  ],
  async execute(input, context) {
    const client = await slackClientOf(context);
    const conversation = await accessibleConversation(
      client,
      input.channel ?? context.channel,
      context.userId,
    );
    const threadTs = input.thread_ts ?? (input.channel === undefined ? context.threadTs : undefined);
    const destination = threadTs
      ? { channel_id: conversation.id, thread_ts: threadTs }
      : { channel_id: conversation.id };
    const answer = await client.filesUploadV2({
      ...destination,
      file: Buffer.from(input.content, "utf8"),
      filename: input.filename,
      title: input.title ?? input.filename,
      ...(input.comment ? { initial_comment: input.comment } : {}),
    });
    const ids = answer.files.flatMap((completed) => completed.files ?? []).map((file) => file.id);
    return {
      content: `Shared ${input.filename} in ${conversation.label}${threadTs ? ` (thread ${threadTs})` : ""}; file_id ${ids.join(", ") || "unknown"}.`,
      label: publicLabel,
    };
  },
});
