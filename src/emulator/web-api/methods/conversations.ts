import { isTimestamp } from "../../clock.js";
import { presentConversation } from "../../present/conversation.js";
import { presentMessage } from "../../present/message.js";
import { compareTimestamps } from "../../state/message-log.js";
import type { Message } from "../../state/types.js";
import type { MethodArguments } from "../arguments.js";
import { conversationFor } from "../conversation-access.js";
import { authOf, type MethodDefinition } from "../definition.js";
import { SlackMethodError } from "../method-error.js";
import { paginate } from "../pagination.js";
import { openConversation } from "./conversation-open.js";

/** `oldest` / `latest` / `inclusive` filtering shared by history and replies. */
function withinRange(messages: Message[], args: MethodArguments): Message[] {
  const oldest = args.string("oldest");
  const latest = args.string("latest");
  if (oldest !== undefined && oldest !== "0" && !isTimestamp(oldest))
    throw new SlackMethodError("invalid_ts_oldest");
  if (latest !== undefined && !isTimestamp(latest)) throw new SlackMethodError("invalid_ts_latest");
  const inclusive = args.boolean("inclusive");
  return messages.filter((message) => {
    if (oldest !== undefined && oldest !== "0") {
      const order = compareTimestamps(message.ts, oldest);
      if (order < 0 || (order === 0 && !inclusive)) return false;
    }
    if (latest !== undefined) {
      const order = compareTimestamps(message.ts, latest);
      if (order > 0 || (order === 0 && !inclusive)) return false;
    }
    return true;
  });
}

export const conversationMethods: MethodDefinition[] = [
  {
    name: "conversations.info",
    handle(call) {
      const auth = authOf(call);
      const conversation = conversationFor(call.core, auth, call.args.requiredString("channel"), {
        requireMember: false,
      });
      return {
        channel: presentConversation(conversation, {
          viewer: auth.install.botUserId,
          includeNumMembers: call.args.boolean("include_num_members"),
        }),
      };
    },
  },
  {
    name: "conversations.history",
    handle(call) {
      const auth = authOf(call);
      const conversation = conversationFor(call.core, auth, call.args.requiredString("channel"), {
        requireMember: true,
      });
      const messages = withinRange(call.core.store.messages.topLevel(conversation.id), call.args).reverse();
      const { page, nextCursor } = paginate(messages, {
        cursor: call.args.string("cursor"),
        limit: call.args.number("limit"),
        defaultLimit: 100,
        maxLimit: 999,
      });
      const metadata = call.args.boolean("include_all_metadata");
      return {
        messages: page.map((message) =>
          presentMessage(call.core.present, message, { metadata, threadSummary: true }),
        ),
        has_more: nextCursor !== "",
        pin_count: 0,
        channel_actions_ts: null,
        channel_actions_count: 0,
        response_metadata: { next_cursor: nextCursor },
      };
    },
  },
  {
    name: "conversations.replies",
    handle(call) {
      const auth = authOf(call);
      const conversation = conversationFor(call.core, auth, call.args.requiredString("channel"), {
        requireMember: true,
      });
      const ts = call.args.requiredString("ts");
      const target = call.core.store.messages.find(conversation.id, ts);
      if (!target || target.orphan) throw new SlackMethodError("thread_not_found");
      const isReply = target.threadTs !== undefined && target.threadTs !== target.ts;
      const thread = isReply ? [target] : call.core.store.messages.thread(conversation.id, ts);
      const { page, nextCursor } = paginate(withinRange(thread, call.args), {
        cursor: call.args.string("cursor"),
        limit: call.args.number("limit"),
        defaultLimit: 1000,
        maxLimit: 1000,
      });
      const metadata = call.args.boolean("include_all_metadata");
      return {
        messages: page.map((message) =>
          presentMessage(call.core.present, message, { metadata, threadSummary: true }),
        ),
        has_more: nextCursor !== "",
        response_metadata: { next_cursor: nextCursor },
      };
    },
  },
  {
    name: "conversations.list",
    handle(call) {
      const auth = authOf(call);
      const types = call.args.list("types");
      const wanted = new Set(types.length > 0 ? types : ["public_channel"]);
      const kindToType = {
        channel: "public_channel",
        group: "private_channel",
        im: "im",
        mpim: "mpim",
      } as const;
      for (const type of wanted) {
        if (!Object.values(kindToType).includes(type as never)) throw new SlackMethodError("invalid_types");
      }
      const botUserId = auth.install.botUserId;
      const visible = call.core.store.directory
        .conversationsOf(auth.team.id)
        .filter((conversation) => wanted.has(kindToType[conversation.kind]))
        .filter((conversation) => conversation.kind === "channel" || conversation.members.has(botUserId))
        .filter((conversation) => !(call.args.boolean("exclude_archived") && conversation.isArchived));
      const { page, nextCursor } = paginate(visible, {
        cursor: call.args.string("cursor"),
        limit: call.args.number("limit"),
        defaultLimit: 100,
        maxLimit: 1000,
      });
      return {
        channels: page.map((conversation) => presentConversation(conversation, { viewer: botUserId })),
        response_metadata: { next_cursor: nextCursor },
      };
    },
  },
  {
    name: "conversations.members",
    handle(call) {
      const auth = authOf(call);
      const conversation = conversationFor(call.core, auth, call.args.requiredString("channel"), {
        requireMember: false,
      });
      const { page, nextCursor } = paginate([...conversation.members], {
        cursor: call.args.string("cursor"),
        limit: call.args.number("limit"),
        defaultLimit: 100,
        maxLimit: 1000,
      });
      return { members: page, response_metadata: { next_cursor: nextCursor } };
    },
  },
  {
    name: "conversations.join",
    handle(call) {
      const auth = authOf(call);
      const conversation = conversationFor(call.core, auth, call.args.requiredString("channel"), {
        requireMember: false,
      });
      if (conversation.kind !== "channel")
        throw new SlackMethodError("method_not_supported_for_channel_type");
      call.core.store.directory.join(conversation, auth.install.botUserId);
      return { channel: presentConversation(conversation, { viewer: auth.install.botUserId }) };
    },
  },
  openConversation,
];
