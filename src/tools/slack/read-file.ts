import { z } from "zod";
import { isCodedError } from "../../errors.js";
import type { SlackClient } from "../../slack/clients.js";
import { defineTool, type Tool } from "../tool.js";
import { toReadable } from "../web/readable-content.js";
import { accessibleConversation } from "./access.js";
import { slackClientOf } from "./services.js";
import { slackLabel } from "./sinks.js";
import { accessDenied, platformError } from "./slack-errors.js";

export const readFileInput = z.object({
  file_id: z
    .string()
    .regex(/^F[A-Z0-9]{2,}$/, "must be a Slack file id like F0123ABC")
    .describe("The file's id, as listed under Files by read_messages or find_messages"),
});

export type ReadFileInput = z.infer<typeof readFileInput>;

const maximumBytes = 5_000_000;

/**
 * Reads a file shared in Slack as text (text, CSV, JSON, Markdown, HTML, PDF). The file must be shared
 * in a conversation the coworker is in and the requester can see. The bot token is sent only to
 * Slack's own file host (or the configured API's host, for a local Slack).
 */
export const readFileTool: Tool<ReadFileInput> = defineTool<ReadFileInput>({
  name: "read_file",
  description:
    "Read a file someone shared in Slack (text, CSV, JSON, Markdown, HTML or PDF) by its file id. Images and " +
    "other binary files cannot be read.",
  input: readFileInput,
  risk: "read",
  timeoutMs: 60_000,
  outputLimit: 20_000,
  messageContent: true,
  summarize: (input) => `Read the Slack file ${input.file_id}`,
  async execute(input, context) {
    const client = await slackClientOf(context);
    let file: Awaited<ReturnType<SlackClient["files"]["info"]>>["file"];
    try {
      file = (await client.files.info({ file: input.file_id })).file;
    } catch (error) {
      if (platformError(error) === "file_not_found") throw accessDenied(`There is no file ${input.file_id}.`);
      throw error;
    }
    if (!file) throw accessDenied(`There is no file ${input.file_id}.`);
    const where = await sharedWhereVisible(
      client,
      [...(file.channels ?? []), ...(file.groups ?? []), ...(file.ims ?? [])],
      context.userId,
    );
    if (!where) {
      throw accessDenied(
        `File ${input.file_id} is not shared anywhere that I'm in and the person who asked can see.`,
      );
    }
    if ((file.size ?? 0) > maximumBytes) {
      throw accessDenied(
        `${file.name ?? input.file_id} is ${file.size} bytes, more than I read (${maximumBytes}).`,
      );
    }
    const url = file.url_private_download ?? file.url_private;
    if (!url || !isSlackFileUrl(url, client.slackApiUrl)) {
      throw accessDenied(`${file.name ?? input.file_id} is not stored in Slack, so I can't read it.`);
    }
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${client.token ?? ""}` },
      redirect: "error",
      signal: context.signal,
    });
    if (!response.ok)
      throw accessDenied(`Slack answered HTTP ${response.status} for ${file.name ?? input.file_id}.`);
    const body = Buffer.from(await response.arrayBuffer()).subarray(0, maximumBytes);
    try {
      const readable = await toReadable(
        body,
        { "content-type": file.mimetype ?? "" },
        file.name ?? input.file_id,
      );
      const header = `File ${file.name ?? ""} (${file.id}, ${file.mimetype ?? "unknown type"}, shared in ${where.label}):`;
      return {
        content: `${header}\n\n${readable.text || "(empty)"}`,
        untrusted: true,
        label: slackLabel(where),
      };
    } catch (error) {
      if (isCodedError(error, "web_unsupported_content")) {
        throw accessDenied(
          `${file.name ?? input.file_id} is ${file.mimetype ?? "binary"}, which I can't read as text.`,
        );
      }
      throw error;
    }
  },
});

async function sharedWhereVisible(client: SlackClient, channels: string[], userId: string) {
  for (const channel of channels.slice(0, 10)) {
    try {
      return await accessibleConversation(client, channel, userId);
    } catch (error) {
      if (!isCodedError(error, "forbidden")) throw error;
    }
  }
  return undefined;
}

/** https on a Slack host, or the configured API's own origin (a local or test Slack). */
function isSlackFileUrl(url: string, apiUrl: string): boolean {
  try {
    const target = new URL(url);
    if (target.origin === new URL(apiUrl).origin) return true;
    return (
      target.protocol === "https:" &&
      (target.hostname === "slack.com" || target.hostname.endsWith(".slack.com"))
    );
  } catch {
    return false;
  }
}
