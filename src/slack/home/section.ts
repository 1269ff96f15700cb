import type { Services } from "../../services.js";

/**
 * One section of the App Home tab (recent tasks, pending approvals, schedules, memories, connected
 * accounts), one file each, listed in ./index.ts. Returns Block Kit blocks for one person.
 */
export interface HomeSection {
  name: string;
  blocks(services: Services, viewer: { workspaceId: string; userId: string }): Promise<unknown[]>;
}
