import type { EmulatorCore } from "./core.js";
import { misuse } from "./misuse.js";

/**
 * Hands out an OAuth `code` for installing the app in a workspace, as Slack's
 * /oauth/v2/authorize redirect does. Without a team: the newest workspace the app is not yet
 * installed in. The bot joins #general and #random of that workspace once the code is exchanged.
 */
export function issueOAuthCode(
  core: EmulatorCore,
  options: { teamId?: string; userId?: string; redirectUri?: string; joinChannelIds?: string[] } = {},
): string {
  const directory = core.store.directory;
  const teams = directory.allTeams();
  const teamId =
    options.teamId ??
    [...teams].reverse().find((team) => !directory.install(team.id)?.token)?.id ??
    teams[0]?.id;
  if (!teamId || !directory.team(teamId)) throw misuse(`no such workspace: ${String(options.teamId)}`);
  const people = directory.usersOf(teamId).filter((user) => !user.isBot);
  const installer = options.userId ?? people.find((user) => user.isAdmin)?.id ?? people[0]?.id ?? "";
  const joinChannelIds =
    options.joinChannelIds ??
    directory
      .conversationsOf(teamId)
      .filter((conversation) => conversation.name === "general" || conversation.name === "random")
      .map((conversation) => conversation.id);
  const code = `${core.ids.digits(12)}.${core.ids.digits(13)}.${core.ids.hex(40)}`;
  core.oauthGrants.set(code, {
    teamId,
    userId: installer,
    joinChannelIds,
    redirectUri: options.redirectUri,
    used: false,
  });
  return code;
}
