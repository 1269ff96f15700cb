import { authOf, type MethodDefinition } from "../definition.js";

export const authMethods: MethodDefinition[] = [
  {
    name: "auth.test",
    handle(call) {
      const { team, install } = authOf(call);
      const bot = call.core.store.directory.user(install.botUserId);
      return {
        url: `https://${team.domain}.slack.com/`,
        team: team.name,
        user: bot?.name,
        team_id: team.id,
        user_id: install.botUserId,
        bot_id: install.botId,
        is_enterprise_install: false,
      };
    },
  },
];
