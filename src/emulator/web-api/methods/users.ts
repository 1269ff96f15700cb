import { presentUser } from "../../present/user.js";
import { authOf, type MethodDefinition } from "../definition.js";
import { SlackMethodError } from "../method-error.js";
import { paginate } from "../pagination.js";

export const userMethods: MethodDefinition[] = [
  {
    name: "users.info",
    handle(call) {
      const { team } = authOf(call);
      const user = call.core.store.directory.user(call.args.requiredString("user"));
      if (!user || user.teamId !== team.id) throw new SlackMethodError("user_not_found");
      return { user: presentUser(user, { now: call.core.now(), appId: call.core.app.id }) };
    },
  },
  {
    name: "users.list",
    handle(call) {
      const { team } = authOf(call);
      const users = call.core.store.directory.usersOf(team.id);
      const { page, nextCursor } = paginate(users, {
        cursor: call.args.string("cursor"),
        limit: call.args.number("limit"),
        defaultLimit: 1000,
        maxLimit: 1000,
      });
      return {
        members: page.map((user) => presentUser(user, { now: call.core.now(), appId: call.core.app.id })),
        cache_ts: Math.floor(call.core.now() / 1000),
        response_metadata: { next_cursor: nextCursor },
      };
    },
  },
  {
    name: "users.lookupByEmail",
    handle(call) {
      const { team } = authOf(call);
      const email = call.args.requiredString("email").toLowerCase();
      const user = call.core.store.directory.usersOf(team.id).find((candidate) => candidate.email === email);
      if (!user) throw new SlackMethodError("users_not_found");
      return { user: presentUser(user, { now: call.core.now(), appId: call.core.app.id }) };
    },
  },
];
