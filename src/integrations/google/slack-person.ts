import { z } from "zod";
import { errorMessage } from "../../errors.js";
import type { GoogleDependencies } from "./dependencies.js";
import { describeScopes } from "./scopes.js";

/**
 * What the Google connect flow needs to know about the Slack side: who a link is for (name and
 * workspace, for the interstitial page), the email on their Slack profile (compared with the Google
 * account's), the workspace's choice for a mismatch, and the DM that tells the person which Google
 * account was connected.
 */
export interface SlackPerson {
  name: string;
  /** From the Slack profile (needs the `users:read.email` scope); undefined when Slack has none. */
  email: string | undefined;
  workspaceName: string;
}

export async function slackPerson(
  deps: GoogleDependencies,
  who: { workspaceId: string; userId: string },
): Promise<SlackPerson> {
  const fallback = { name: who.userId, email: undefined, workspaceName: who.workspaceId };
  try {
    const client = await deps.slack.forWorkspace(who.workspaceId);
    const [info, team] = await Promise.all([client.users.info({ user: who.userId }), client.auth.test()]);
    const user = info.user;
    return {
      name: user?.real_name || user?.profile?.display_name || user?.name || who.userId,
      email: user?.profile?.email || undefined,
      workspaceName: (team.team as string | undefined) || who.workspaceId,
    };
  } catch (error) {
    deps.logger.warn({ error: errorMessage(error) }, "could not look up the slack user for a google link");
    return fallback;
  }
}

/** `Workspace.policy.googleEmailMismatch`: `refuse` (default) or `flag` (connect, and say so in the DM). */
const mismatchPolicy = z.object({ googleEmailMismatch: z.enum(["refuse", "flag"]).optional() });

export async function emailMismatchPolicy(
  deps: GoogleDependencies,
  workspaceId: string,
): Promise<"refuse" | "flag"> {
  const workspace = await deps.database.workspace.findUnique({
    where: { id: workspaceId },
    select: { policy: true },
  });
  const parsed = mismatchPolicy.safeParse(workspace?.policy ?? {});
  return parsed.success ? (parsed.data.googleEmailMismatch ?? "refuse") : "refuse";
}

export function sameEmail(left: string | undefined, right: string | undefined): boolean {
  return Boolean(left && right && left.trim().toLowerCase() === right.trim().toLowerCase());
}

/** Tells the person, by DM, which Google account is now connected to their Slack user. */
export async function sendConnectedNotice(
  deps: GoogleDependencies,
  notice: {
    workspaceId: string;
    userId: string;
    googleEmail: string | undefined;
    scopes: string[];
    slackEmail?: string;
  },
): Promise<void> {
  const account = notice.googleEmail ?? "a Google account without an address";
  const flagged =
    notice.slackEmail && !sameEmail(notice.slackEmail, notice.googleEmail)
      ? ` :warning: This is not the address on your Slack profile (${notice.slackEmail}).`
      : "";
  const text = `:link: The Google account *${account}* is now connected to your Slack account (${describeScopes(notice.scopes)}).${flagged} If this was not you, run \`${deps.slashCommand} disconnect google\` at once.`;
  try {
    const client = await deps.slack.forWorkspace(notice.workspaceId);
    const opened = await client.conversations.open({ users: notice.userId });
    await client.chat.postMessage({ channel: opened.channel?.id ?? notice.userId, text });
  } catch (error) {
    deps.logger.warn(
      { error: errorMessage(error) },
      "could not tell the person which google account was connected",
    );
  }
}
