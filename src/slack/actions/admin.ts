import type { SlackClient } from "../clients.js";

/** Whether a person is an admin or owner of the workspace (users.info); false when it cannot tell. */
export async function isWorkspaceAdmin(client: SlackClient, userId: string): Promise<boolean> {
  try {
    const response = await client.users.info({ user: userId });
    return Boolean(response.user?.is_admin || response.user?.is_owner);
  } catch {
    return false;
  }
}
