import { z } from "zod";
import { publicLabel } from "../../harness/labels.js";
import type { Queues } from "../../queue/queues.js";
import { uuidFromKey } from "../../schedules/ids.js";
import { type CreateDependencies, createFromDraft } from "../../schedules/manage.js";
import { readWhen } from "../../schedules/modal-view.js";
import { PHRASE_EXAMPLES } from "../../schedules/parse-failure.js";
import { createdText } from "../../schedules/replies.js";
import { canonicalTimezone } from "../../schedules/timezone.js";
import { accessibleConversation } from "../slack/access.js";
import { databaseOf, slackClientOf } from "../slack/services.js";
import { slackSink } from "../slack/sinks.js";
import { defineTool, type Tool, type ToolContext, type ToolResult } from "../tool.js";

declare module "../tool.js" {
  interface ToolServices {
    /** The job queues: with them a new schedule is synced to BullMQ at once (else on the next reconcile). */
    queues?: Queues;
  }
}

export const createScheduleInput = z.object({
  when: z
    .string()
    .trim()
    .min(1)
    .describe(
      'When to run: an English phrase ("every weekday at 9am", "every monday at 14:30", "every 2 hours", ' +
        '"on the 1st of every month at 8") or a 5-field cron expression in double quotes ("\\"0 9 * * 1-5\\"")',
    ),
  task: z.string().trim().min(1).max(4000).describe("What to do at each run, written as a request to you"),
  name: z.string().trim().max(80).optional().describe("A short name people will see; default: the task"),
  timezone: z
    .string()
    .trim()
    .optional()
    .describe(
      "IANA timezone such as Europe/Warsaw; only if the person named one (default: their Slack timezone)",
    ),
  channel: z
    .string()
    .trim()
    .optional()
    .describe("Where runs are posted (#name, <#C0123|name> or an id); default: this conversation"),
});

export type CreateScheduleInput = z.infer<typeof createScheduleInput>;

/**
 * The coworker creates a recurring task when asked in conversation ("every weekday at 9 summarize
 * #support"). A write outside the run's thread, so it needs the person's approval by default. The
 * schedule belongs to the person who asked (the run's requester) and runs in their timezone unless
 * they named another. The schedule's id comes from the call's idempotency key: a retried call
 * creates it once, and `reconcile` finds it after a crash.
 */
export function createScheduleTool(
  options: { command?: string; now?: () => number } = {},
): Tool<CreateScheduleInput> {
  const command = options.command ?? "/coworker";
  const now = options.now ?? Date.now;
  const dependencies = (context: ToolContext): CreateDependencies => ({
    database: databaseOf(context),
    now,
    command,
    ...(context.services.queues ? { queues: context.services.queues } : {}),
  });
  return defineTool<CreateScheduleInput>({
    name: "create_schedule",
    description:
      "Create a recurring task: at each scheduled time I start a new thread in the channel and do the task. " +
      "Use it when someone asks for something to happen regularly. The schedule runs in their Slack timezone " +
      "unless they name another. Needs their approval.",
    input: createScheduleInput,
    risk: "write",
    timeoutMs: 30_000,
    outputLimit: 4_000,
    summarize: (input) => `Create the schedule "${input.name ?? input.task.slice(0, 60)}" (${input.when})`,
    // Each run of the schedule posts what the task asks for in its channel.
    sinks: async (input, context) => [await slackSink(context, input.channel, input.task)],
    async execute(input, context): Promise<ToolResult> {
      const when = readWhen(input.when);
      if (!when.ok) {
        return {
          content: `${when.reason} Phrases that work: ${PHRASE_EXAMPLES.map((example) => `"${example}"`).join(", ")}.`,
          isError: true,
        };
      }
      const timezone = input.timezone ? canonicalTimezone(input.timezone) : when.timezone;
      if (input.timezone && !timezone) {
        return {
          content: `"${input.timezone}" is not a known IANA timezone (e.g. Europe/Warsaw).`,
          isError: true,
        };
      }
      const client = await slackClientOf(context);
      const channel = input.channel
        ? (await accessibleConversation(client, input.channel, context.userId)).id
        : context.channel;
      const result = await createFromDraft(
        dependencies(context),
        client,
        {
          id: uuidFromKey(context.idempotencyKey),
          workspaceId: context.workspaceId,
          channel,
          userId: context.userId,
          ...(input.name ? { name: input.name } : {}),
        },
        { cron: when.cron, task: input.task, ...(timezone ? { timezone } : {}) },
      );
      if (!result.ok) return { content: result.reason, isError: true };
      // A confirmation: it echoes only the call's own arguments, already within the run's label.
      return { content: createdText(result, command), label: publicLabel };
    },
    async reconcile(_input, context): Promise<ToolResult | undefined> {
      const schedule = await databaseOf(context).schedule.findUnique({
        where: { id: uuidFromKey(context.idempotencyKey) },
      });
      if (!schedule) return undefined;
      return {
        content: `The schedule "${schedule.name}" was created (cron \`${schedule.cron}\`, ${schedule.timezone}).`,
        label: publicLabel,
      };
    },
  });
}
