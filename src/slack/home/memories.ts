import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { Services } from "../../services.js";
import { scopeLabel } from "../../tools/memory/describe.js";
import { forgetMemory, listMemories, type MemoryViewer, shortMemoryId } from "../../tools/memory/store.js";
import type { HomeSection } from "./section.js";

/** The App Home's "What I remember" section, and its Forget buttons. */
export const forgetMemoryAction = "memory_forget";

/** Memories shown in the Home tab (each is one block; a Home view holds 100). */
const shownLimit = 20;

export const memoriesSection: HomeSection = {
  name: "memories",
  async blocks(services, viewer) {
    const { memories, total } = await listMemories(services.database, managingViewer(viewer), shownLimit);
    const command = services.config.slack.command;
    const blocks: unknown[] = [
      { type: "header", text: { type: "plain_text", text: "What I remember" } },
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text:
              `Facts and preferences people asked me to remember, that you can see. Forget one here or with ` +
              `\`${command} memory forget <id>\`.`,
          },
        ],
      },
    ];
    if (memories.length === 0) {
      blocks.push({ type: "section", text: { type: "mrkdwn", text: "_Nothing yet._" } });
      return blocks;
    }
    for (const memory of memories) {
      blocks.push({
        type: "section",
        block_id: `memory_${memory.id}`,
        text: {
          type: "mrkdwn",
          text: `${plain(memory.content).slice(0, 2500)}\n_${scopeLabel(memory)} · ${memory.createdAt
            .toISOString()
            .slice(0, 10)} · id ${shortMemoryId(memory.id)}_`,
        },
        accessory: {
          type: "button",
          action_id: forgetMemoryAction,
          text: { type: "plain_text", text: "Forget" },
          value: memory.id,
          confirm: {
            title: { type: "plain_text", text: "Forget this?" },
            text: { type: "plain_text", text: memory.content.slice(0, 300) },
            confirm: { type: "plain_text", text: "Forget" },
            deny: { type: "plain_text", text: "Keep" },
          },
        },
      });
    }
    if (total > memories.length) {
      blocks.push({
        type: "context",
        elements: [
          { type: "mrkdwn", text: `…and ${total - memories.length} older ones: \`${command} memory list\`.` },
        ],
      });
    }
    return blocks;
  },
};

/**
 * The Forget button: deletes the memory if the person who clicked can see it, then republishes their
 * Home tab. `republish` is the App Home publisher (src/slack/home/index.ts `publishHome`).
 */
export function registerMemoryActions(
  app: App,
  services: Services,
  republish: (client: App["client"], viewer: { workspaceId: string; userId: string }) => Promise<void>,
): void {
  app.action<BlockAction<ButtonAction>>(
    forgetMemoryAction,
    async ({ ack, body, action, client, context }) => {
      await ack();
      const viewer = { workspaceId: context.teamId ?? body.team?.id ?? "", userId: body.user.id };
      const outcome = await forgetMemory(services.database, managingViewer(viewer), action.value ?? "");
      services.logger.info({ ...viewer, outcome: outcome.type }, "memory forget from App Home");
      await republish(client, viewer);
    },
  );
}

/** In the Home tab people manage their own memories, the workspace's, and the ones they created. */
function managingViewer(viewer: { workspaceId: string; userId: string }): MemoryViewer {
  return { ...viewer, includeCreated: true };
}

/** Memory text in mrkdwn: no markup or mentions that would ping anyone from the Home tab. */
function plain(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}
