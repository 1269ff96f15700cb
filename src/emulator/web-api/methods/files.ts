import { postMessage } from "../../messaging.js";
import { guessMimeType, presentFile } from "../../present/file.js";
import { validateBlocks } from "../blocks.js";
import { conversationFor } from "../conversation-access.js";
import { authOf, type MethodDefinition } from "../definition.js";
import { SlackMethodError } from "../method-error.js";
import { threadTsArgument } from "./chat.js";

/** Slack's maximum file size (1 GB). */
const maxFileLength = 1024 * 1024 * 1024;

export const fileMethods: MethodDefinition[] = [
  {
    name: "files.getUploadURLExternal",
    handle(call) {
      const auth = authOf(call);
      const { core, args } = call;
      const name = args.requiredString("filename");
      const length = args.number("length");
      if (length === undefined)
        throw new SlackMethodError("invalid_arguments", ["[ERROR] missing required field: length"]);
      if (length > maxFileLength) throw new SlackMethodError("file_upload_size_restricted");
      const uploadKey = core.ids.hex(32);
      const file = core.store.addFile({
        id: core.ids.next("F"),
        teamId: auth.team.id,
        user: auth.install.botUserId,
        name,
        title: name,
        mimetype: guessMimeType(name),
        length,
        content: undefined,
        created: core.now(),
        completed: false,
        uploadKey,
        channels: [],
      });
      return { upload_url: `${core.urls.base}/upload/v1/${uploadKey}`, file_id: file.id };
    },
  },
  {
    name: "files.completeUploadExternal",
    handle(call) {
      const auth = authOf(call);
      const { core, args } = call;
      const entries = args.json("files", "invalid_arguments");
      if (!Array.isArray(entries) || entries.length === 0) {
        throw new SlackMethodError("invalid_arguments", ["[ERROR] missing required field: files"]);
      }
      const files = entries.map((entry) => {
        const { id, title } = (entry ?? {}) as { id?: unknown; title?: unknown };
        const file = typeof id === "string" ? core.store.file(id) : undefined;
        if (!file || file.teamId !== auth.team.id || file.content === undefined) {
          throw new SlackMethodError("file_not_found");
        }
        return { file, title: typeof title === "string" && title !== "" ? title : file.title };
      });
      const channelReference = args.string("channel_id") ?? args.list("channels")[0];
      const conversation = channelReference
        ? conversationFor(core, auth, channelReference, { requireMember: true })
        : undefined;
      const rawBlocks = args.json("blocks", "invalid_blocks_format");
      const blocks = rawBlocks === undefined ? undefined : validateBlocks(rawBlocks, { maxBlocks: 50 });
      const threadTs = threadTsArgument(args);
      for (const { file, title } of files) {
        core.store.completeFile(file, { title, channels: conversation ? [conversation.id] : [] });
      }
      if (conversation) {
        postMessage(
          core,
          {
            teamId: auth.team.id,
            channel: conversation.id,
            threadTs,
            user: auth.install.botUserId,
            botId: auth.install.botId,
            appId: core.app.id,
            subtype: "file_share",
            text: args.string("initial_comment") ?? "",
            blocks,
            fileIds: files.map(({ file }) => file.id),
          },
          call.method,
        );
      }
      return { files: files.map(({ file }) => presentFile(file, core.urls.base)) };
    },
  },
  {
    name: "files.info",
    handle(call) {
      const auth = authOf(call);
      const file = call.core.store.file(call.args.requiredString("file"));
      if (!file || file.teamId !== auth.team.id || !file.completed)
        throw new SlackMethodError("file_not_found");
      return {
        file: presentFile(file, call.core.urls.base),
        comments: [],
        response_metadata: { next_cursor: "" },
      };
    },
  },
];
