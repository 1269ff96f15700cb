import { memoryLine } from "../../tools/memory/describe.js";
import { forgetMemory, listMemories, type MemoryViewer } from "../../tools/memory/store.js";
import type { Subcommand, SubcommandContext } from "./subcommand.js";

/** Memories listed in one answer, at most. */
const listLimit = 30;

/**
 * `/coworker memory [list]` shows what the coworker remembers that the person can see here (their
 * own, this conversation's, the workspace's, and what they asked it to remember elsewhere);
 * `/coworker memory forget <id>` deletes one of those.
 */
export const memorySubcommand: Subcommand = {
  name: "memory",
  usage: "memory [list | forget <id>] — see what I remember, or make me forget something",
  async handle(context) {
    const [action = "list", id = ""] = context.argumentsText.trim().split(/\s+/);
    const viewer: MemoryViewer = {
      workspaceId: context.command.team_id,
      userId: context.command.user_id,
      channel: context.command.channel_id,
      includeCreated: true,
    };
    if (action === "list" || action === "") return list(context, viewer);
    if (action === "forget") return forget(context, viewer, id);
    await answer(
      context,
      `I don't know \`memory ${action}\`. Try \`memory list\` or \`memory forget <id>\`.`,
    );
  },
};

async function list(context: SubcommandContext, viewer: MemoryViewer): Promise<void> {
  const { memories, total } = await listMemories(context.services.database, viewer, listLimit);
  if (memories.length === 0) {
    await answer(context, "I don't remember anything you can see here. Ask me to remember something!");
    return;
  }
  const more = total > memories.length ? `\n…and ${total - memories.length} older ones.` : "";
  await answer(
    context,
    `What I remember (newest first; forget one with \`${context.services.config.slack.command} memory forget <id>\`):\n` +
      memories.map((memory) => `• ${escapeMarkup(memoryLine(memory))}`).join("\n") +
      more,
  );
}

async function forget(context: SubcommandContext, viewer: MemoryViewer, id: string): Promise<void> {
  if (!id) {
    await answer(context, "Which one? Give its id from `memory list`, e.g. `memory forget 1a2b3c4d`.");
    return;
  }
  const outcome = await forgetMemory(context.services.database, viewer, id);
  if (outcome.type === "forgotten") {
    await answer(context, `Forgotten: ${escapeMarkup(memoryLine(outcome.memory))}`);
  } else if (outcome.type === "ambiguous") {
    await answer(context, `More than one memory starts with \`${escapeMarkup(id)}\`: give more of its id.`);
  } else {
    await answer(context, `I have no memory \`${escapeMarkup(id)}\` that you can see here.`);
  }
}

function answer(context: SubcommandContext, text: string) {
  return context.respond({ response_type: "ephemeral", text });
}

/** Memory text is what people typed: keep Slack from reading it as markup (mentions stay readable). */
function escapeMarkup(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replace(/<(?![@#][A-Z0-9]+>)/g, "&lt;")
    .replace(/(?<!<[@#][A-Z0-9]+)>/g, "&gt;");
}
