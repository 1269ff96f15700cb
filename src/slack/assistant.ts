import { Assistant, type AssistantConfig } from "@slack/bolt";
import type { Services } from "../services.js";
import { type MessageEventLike, receiveMessage } from "./listeners/incoming.js";

/**
 * Slack's AI assistant surface (the app's split-view pane and its DM threads), through Bolt's
 * `Assistant`. A new thread gets a greeting and suggested prompts; a message starts (or steers) a
 * task through the same intake as every other message, then the thread gets a title and a
 * "thinking" status. Bolt routes every threaded DM message here and not to the message listeners,
 * so nothing starts twice.
 */
export const suggestedPrompts = [
  { title: "Summarize a page", message: "Summarize this page for me: " },
  { title: "Draft a message", message: "Help me draft a message to my team about " },
  { title: "Research a question", message: "Find out and explain: " },
  { title: "Work with data", message: "Analyze this data and tell me what stands out: " },
];

/**
 * The thread context (which channel the person is looking at) arrives with each event; we keep no
 * copy, so Bolt's default store, which reads and rewrites messages with conversations.replies and
 * chat.update (1 request a minute for some apps), is never used.
 */
const statelessContext: NonNullable<AssistantConfig["threadContextStore"]> = {
  get: async () => ({}),
  save: async () => undefined,
};

export function createAssistant(services: Services): Assistant {
  return new Assistant({
    threadContextStore: statelessContext,
    threadStarted: async ({ say, setSuggestedPrompts, logger }) => {
      try {
        await say("Hi! What can I do for you? Ask me anything, or pick one of these to start.");
        await setSuggestedPrompts({ title: "Try one of these", prompts: suggestedPrompts });
      } catch (error) {
        logger.warn(`could not greet in a new assistant thread: ${String(error)}`);
      }
    },
    threadContextChanged: async () => undefined,
    userMessage: async ({ message, context, body, client, setTitle, setStatus }) => {
      const event = message as MessageEventLike;
      const result = await receiveMessage(services, client, {
        kind: "message",
        event,
        context,
        body: body as { event_id?: string; team_id?: string },
      });
      if (result.type !== "started") return;
      await markAssistantTask(services, result.runId, { setTitle, title: event.text ?? "" });
      await setStatus("is thinking…").catch((error: unknown) =>
        services.logger.debug({ error: String(error) }, "assistant status not set"),
      );
    },
  });
}

/** The first run of a thread names it (the title of the assistant thread) and marks its source. */
async function markAssistantTask(
  services: Services,
  runId: string,
  thread: { setTitle: (title: string) => Promise<unknown>; title: string },
): Promise<void> {
  const run = await services.database.run.findUnique({
    where: { id: runId },
    select: { taskId: true, task: { select: { _count: { select: { runs: true } } } } },
  });
  if (run?.task._count.runs !== 1) return;
  await services.database.task.update({ where: { id: run.taskId }, data: { source: "assistant" } });
  const title = thread.title.replace(/\s+/g, " ").trim();
  await thread
    .setTitle(title.length > 60 ? `${title.slice(0, 59)}…` : title || "New task")
    .catch((error: unknown) => services.logger.debug({ error: String(error) }, "assistant title not set"));
}
