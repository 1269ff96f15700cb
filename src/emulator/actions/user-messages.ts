import type { EmulatorCore } from "../core.js";
import { publishReaction } from "../events/publish.js";
import { postMessage } from "../messaging.js";
import { misuse } from "../misuse.js";
import { guessMimeType } from "../present/file.js";
import { openDirectMessage } from "../seed.js";
import {
  type ChannelRef,
  type EventResult,
  eventResult,
  type PostResult,
  resolveChannel,
  resolveUser,
  type UserRef,
} from "./results.js";
import { richTextBlocks } from "./rich-text.js";

/** A file a person attaches to their message. */
export interface UserFile {
  name: string;
  content: string | Buffer;
  title?: string;
  mimetype?: string;
}

export interface UserPost {
  user: UserRef;
  channel: ChannelRef;
  text: string;
  threadTs?: string;
  files?: UserFile[];
}

function attachFiles(core: EmulatorCore, teamId: string, userId: string, channel: string, files: UserFile[]) {
  return files.map((input) => {
    const content = Buffer.isBuffer(input.content) ? input.content : Buffer.from(input.content);
    const file = core.store.addFile({
      id: core.ids.next("F"),
      teamId,
      user: userId,
      name: input.name,
      title: input.title ?? input.name,
      mimetype: input.mimetype ?? guessMimeType(input.name),
      length: content.length,
      content,
      created: core.now(),
      completed: false,
      uploadKey: undefined,
      channels: [channel],
    });
    return core.store.completeFile(file).id;
  });
}

/**
 * A person posts a message, as from a Slack client: with a `client_msg_id` and `rich_text` blocks,
 * `file_share` when files are attached. Resolves once the app answered the first delivery attempts.
 */
export async function postAsUser(core: EmulatorCore, teamId: string, post: UserPost): Promise<PostResult> {
  const user = resolveUser(core, teamId, post.user);
  const conversation = resolveChannel(core, teamId, post.channel);
  if (!conversation.members.has(user.id)) {
    throw misuse(`${user.name} is not a member of ${conversation.name ?? conversation.id}`);
  }
  const fileIds = attachFiles(core, teamId, user.id, conversation.id, post.files ?? []);
  const { message, sends } = postMessage(
    core,
    {
      teamId,
      channel: conversation.id,
      threadTs: post.threadTs,
      user: user.id,
      text: post.text,
      blocks: post.text ? richTextBlocks(post.text, core.ids.next("", 5)) : undefined,
      clientMessageId: core.ids.uuid(),
      fileIds,
      subtype: fileIds.length > 0 ? "file_share" : undefined,
    },
    "user",
  );
  const result = await eventResult(sends);
  return { ...result, channel: conversation.id, ts: message.ts, threadTs: message.threadTs, message };
}

/** A person mentions the bot (`<@bot>` is put in front unless the text already mentions it). */
export function mentionBot(
  core: EmulatorCore,
  teamId: string,
  post: Omit<UserPost, "text"> & { text?: string },
): Promise<PostResult> {
  const install = core.store.directory.install(teamId);
  const mention = install ? `<@${install.botUserId}>` : "";
  const text = post.text ?? "";
  return postAsUser(core, teamId, {
    ...post,
    text: text.includes(mention) ? text : `${mention} ${text}`.trim(),
  });
}

/** A person writes to the bot in its DM (the App Home "Messages" tab). */
export function directMessage(
  core: EmulatorCore,
  teamId: string,
  post: Omit<UserPost, "channel">,
): Promise<PostResult> {
  const user = resolveUser(core, teamId, post.user);
  const conversation = openDirectMessage(core, teamId, user.id);
  return postAsUser(core, teamId, { ...post, user: user.id, channel: conversation.id });
}

/** A person adds (or removes) a reaction. */
export async function reactAsUser(
  core: EmulatorCore,
  teamId: string,
  input: { user: UserRef; channel: ChannelRef; ts: string; name: string; remove?: boolean },
): Promise<EventResult> {
  const user = resolveUser(core, teamId, input.user);
  const conversation = resolveChannel(core, teamId, input.channel);
  const message = core.store.messages.find(conversation.id, input.ts);
  if (!message) throw misuse(`no message ${input.ts} in ${conversation.id}`);
  const changed = input.remove
    ? core.store.messages.removeReaction(message, input.name, user.id)
    : core.store.messages.addReaction(message, input.name, user.id);
  if (!changed) return eventResult([]);
  const type = input.remove ? "reaction_removed" : "reaction_added";
  return eventResult(publishReaction(core, type, message, user.id, input.name));
}
