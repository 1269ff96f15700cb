import { z } from "zod";
import { loadOutput, suggestedReadLength } from "../../harness/artifacts.js";
import { defaultLabel } from "../../harness/labels.js";
import type { Database } from "../../storage/database.js";
import { defineTool, type Tool } from "../tool.js";

/**
 * Reads back part of an earlier output of the same run: a clipped output (by the artifact handle its
 * preview shows) or an output hidden from the prompt to save space (by the tool call id its
 * placeholder shows). Only outputs of the calling run are readable.
 */
export interface ReadArtifactToolOptions {
  database: Database;
  /** Most characters one read returns. */
  maxLength?: number;
}

const defaultMaxLength = 12_000;
/** Characters shown before a match found with `find`, for context. */
const findLead = 200;

export function readArtifactInput(maxLength: number) {
  return z
    .object({
      artifactId: z
        .string()
        .min(1)
        .optional()
        .describe('The artifact handle shown in a clipped output\'s preview, e.g. "art_3f2a…"'),
      toolCallId: z
        .string()
        .min(1)
        .optional()
        .describe("The id of the tool call whose output was hidden, as shown in its placeholder"),
      offset: z.number().int().min(0).default(0).describe("First character to read (0 is the start)"),
      length: z
        .number()
        .int()
        .min(1)
        .max(maxLength)
        .default(Math.min(suggestedReadLength, maxLength))
        .describe(`How many characters to read (at most ${maxLength})`),
      find: z
        .string()
        .min(1)
        .max(200)
        .optional()
        .describe(
          "Text to look for (not case-sensitive): the read starts just before its first match at or after offset",
        ),
    })
    .refine((input) => (input.artifactId === undefined) !== (input.toolCallId === undefined), {
      message: "Give exactly one of artifactId or toolCallId",
    });
}

export type ReadArtifactInput = z.infer<ReturnType<typeof readArtifactInput>>;

export function createReadArtifactTool(options: ReadArtifactToolOptions): Tool<ReadArtifactInput> {
  const maxLength = options.maxLength ?? defaultMaxLength;
  return defineTool<ReadArtifactInput>({
    name: "read_artifact",
    description:
      "Read back an earlier output of this task that is not fully shown: a clipped output (pass the " +
      "artifactId from its preview) or an output hidden to save space (pass the toolCallId from its " +
      "placeholder). Reads `length` characters from `offset`, or jumps to the first match of `find`. " +
      "Use it instead of repeating the original call.",
    input: readArtifactInput(maxLength),
    risk: "read",
    timeoutMs: 10_000,
    outputLimit: maxLength + 1000,
    summarize: (input) => `Reading back ${input.artifactId ?? `the output of ${input.toolCallId}`}`,
    async execute(input, context) {
      const reference =
        input.artifactId !== undefined
          ? { artifactId: input.artifactId }
          : { toolCallId: input.toolCallId ?? "" };
      const stored = await loadOutput(options.database, context.runId, reference);
      if (!stored) {
        const what =
          input.artifactId !== undefined ? `artifact ${input.artifactId}` : `tool call ${input.toolCallId}`;
        return {
          content: `There is no ${what} in this task. Use a handle or call id exactly as shown earlier in this conversation.`,
          isError: true,
        };
      }
      const { content } = stored;
      let start = Math.min(input.offset, content.length);
      if (input.find !== undefined) {
        const match = content.toLowerCase().indexOf(input.find.toLowerCase(), start);
        if (match === -1) {
          return {
            content: `"${input.find}" does not occur in ${stored.label} after character ${start} (it has ${content.length} characters).`,
            untrusted: stored.untrusted,
            label: stored.flowLabel ?? defaultLabel(context.userId),
          };
        }
        start = Math.max(start, match - Math.min(findLead, Math.floor(input.length / 4)));
      }
      const end = Math.min(content.length, start + input.length);
      const more =
        end < content.length
          ? `\n[${content.length - end} more characters: continue with read_artifact ${JSON.stringify({ ...reference, offset: end })}]`
          : "\n[End of output.]";
      return {
        content: `Characters ${start}–${end} of ${content.length} of ${stored.label}:\n${content.slice(start, end)}${more}`,
        untrusted: stored.untrusted,
        // What was read back carries the label it was stored with.
        label: stored.flowLabel ?? defaultLabel(context.userId),
      };
    },
  });
}
