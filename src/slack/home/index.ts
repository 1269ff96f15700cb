import type { App } from "@slack/bolt";
import type { Services } from "../../services.js";
import { accountsSection } from "./accounts.js";
import { memoriesSection } from "./memories.js";
import { schedulesSection } from "./schedules.js";
import type { HomeSection } from "./section.js";
import { pendingApprovalsSection, recentTasksSection } from "./tasks.js";

/** The App Home tab: each section in order, published when the person opens it. */
export const homeSections: HomeSection[] = [
  pendingApprovalsSection,
  recentTasksSection,
  schedulesSection,
  memoriesSection,
  accountsSection,
];

export function registerHome(app: App, services: Services, sections: HomeSection[] = homeSections): void {
  app.event("app_home_opened", async ({ event, context, client }) => {
    if (event.tab !== "home") return;
    await publishHome(services, client, { workspaceId: context.teamId ?? "", userId: event.user }, sections);
  });
}

export async function publishHome(
  services: Services,
  client: App["client"],
  viewer: { workspaceId: string; userId: string },
  sections: HomeSection[] = homeSections,
): Promise<void> {
  const blocks: unknown[] = [{ type: "header", text: { type: "plain_text", text: "Coworker" } }];
  for (const section of sections) {
    blocks.push({ type: "divider" }, ...(await section.blocks(services, viewer)));
  }
  await client.views.publish({
    user_id: viewer.userId,
    view: { type: "home", blocks: blocks.slice(0, 100) as never },
  });
}
