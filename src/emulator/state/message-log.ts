import type { ChangeFeed } from "./change-feed.js";
import type { Ephemeral, Message } from "./types.js";

export type NewMessage = Pick<Message, "teamId" | "channel" | "ts" | "text"> & Partial<Message>;

export type ThreadTarget =
  | { kind: "parent"; parent: Message }
  /** `thread_ts` named a reply: Slack files the message in the reply's thread. */
  | { kind: "reply"; parent: Message }
  | { kind: "missing" };

/** Messages (with threads and reactions) and ephemeral messages of every conversation. */
export class MessageLog {
  private readonly byChannel = new Map<string, Message[]>();
  private readonly ephemeralList: Ephemeral[] = [];

  constructor(private readonly feed: ChangeFeed) {}

  add(input: NewMessage): Message {
    const message: Message = {
      threadTs: undefined,
      user: undefined,
      botId: undefined,
      appId: undefined,
      subtype: undefined,
      blocks: undefined,
      attachments: undefined,
      metadata: undefined,
      fileIds: [],
      clientMessageId: undefined,
      edited: undefined,
      reactions: [],
      replyBroadcast: false,
      orphan: false,
      deleted: false,
      stream: undefined,
      assistantThread: undefined,
      display: undefined,
      ...input,
    };
    const list = this.byChannel.get(message.channel) ?? [];
    list.push(message);
    list.sort((left, right) => compareTimestamps(left.ts, right.ts));
    this.byChannel.set(message.channel, list);
    if (message.threadTs && message.threadTs !== message.ts && !message.orphan) {
      const parent = this.find(message.channel, message.threadTs);
      if (parent && parent.threadTs === undefined) parent.threadTs = parent.ts;
    }
    this.feed.emit({ type: "message_posted", message });
    return message;
  }

  /** A message by channel and ts, deleted ones excluded unless asked. */
  find(channel: string, ts: string, options: { includeDeleted?: boolean } = {}): Message | undefined {
    const message = this.byChannel.get(channel)?.find((candidate) => candidate.ts === ts);
    if (!message || (message.deleted && !options.includeDeleted)) return undefined;
    return message;
  }

  /** Where a `thread_ts` leads, as Slack resolves it. */
  threadTarget(channel: string, threadTs: string): ThreadTarget {
    const message = this.find(channel, threadTs);
    if (!message || message.orphan) return { kind: "missing" };
    if (message.threadTs && message.threadTs !== message.ts) {
      const parent = this.find(channel, message.threadTs);
      return parent ? { kind: "reply", parent } : { kind: "missing" };
    }
    return { kind: "parent", parent: message };
  }

  /** Every visible message of a conversation, replies included, oldest first. */
  all(channel: string): Message[] {
    return (this.byChannel.get(channel) ?? []).filter((message) => !message.deleted && !message.orphan);
  }

  /** What `conversations.history` shows: top-level messages and broadcast replies, oldest first. */
  topLevel(channel: string): Message[] {
    return this.all(channel).filter(
      (message) =>
        message.threadTs === undefined || message.threadTs === message.ts || message.replyBroadcast,
    );
  }

  replies(channel: string, parentTs: string): Message[] {
    return this.all(channel).filter((message) => message.threadTs === parentTs && message.ts !== parentTs);
  }

  /** The parent followed by its replies, oldest first; empty when the parent is unknown. */
  thread(channel: string, parentTs: string): Message[] {
    const parent = this.find(channel, parentTs);
    return parent ? [parent, ...this.replies(channel, parentTs)] : [];
  }

  update(message: Message, changes: Partial<Message>): Message {
    const previous = { ...message, reactions: message.reactions.map((reaction) => ({ ...reaction })) };
    Object.assign(message, changes);
    this.feed.emit({ type: "message_updated", message, previous });
    return message;
  }

  /** Deletes a message; a parent with replies stays as Slack's "This message was deleted." tombstone. */
  remove(message: Message): void {
    const isParent = message.threadTs === message.ts;
    if (isParent && this.replies(message.channel, message.ts).length > 0) {
      this.update(message, {
        subtype: "tombstone",
        text: "This message was deleted.",
        blocks: undefined,
        attachments: undefined,
        fileIds: [],
        user: "USLACKBOT",
        botId: undefined,
        appId: undefined,
      });
      return;
    }
    message.deleted = true;
    this.feed.emit({ type: "message_deleted", message });
  }

  /** False when the user already reacted with that name. */
  addReaction(message: Message, name: string, user: string): boolean {
    let reaction = message.reactions.find((candidate) => candidate.name === name);
    if (reaction?.users.includes(user)) return false;
    if (!reaction) {
      reaction = { name, users: [] };
      message.reactions.push(reaction);
    }
    reaction.users.push(user);
    this.feed.emit({ type: "reaction_added", message, name, user });
    return true;
  }

  /** False when there was no such reaction by that user. */
  removeReaction(message: Message, name: string, user: string): boolean {
    const reaction = message.reactions.find((candidate) => candidate.name === name);
    if (!reaction?.users.includes(user)) return false;
    reaction.users = reaction.users.filter((candidate) => candidate !== user);
    if (reaction.users.length === 0) {
      message.reactions = message.reactions.filter((candidate) => candidate !== reaction);
    }
    this.feed.emit({ type: "reaction_removed", message, name, user });
    return true;
  }

  addEphemeral(ephemeral: Ephemeral): Ephemeral {
    this.ephemeralList.push(ephemeral);
    this.feed.emit({ type: "ephemeral_posted", ephemeral });
    return ephemeral;
  }

  findEphemeral(channel: string, ts: string): Ephemeral | undefined {
    return this.ephemeralList.find(
      (ephemeral) => ephemeral.channel === channel && ephemeral.ts === ts && !ephemeral.deleted,
    );
  }

  ephemerals(filter: { channel?: string; user?: string; teamId?: string } = {}): Ephemeral[] {
    return this.ephemeralList.filter(
      (ephemeral) =>
        !ephemeral.deleted &&
        (filter.channel === undefined || ephemeral.channel === filter.channel) &&
        (filter.user === undefined || ephemeral.user === filter.user) &&
        (filter.teamId === undefined || ephemeral.teamId === filter.teamId),
    );
  }

  updateEphemeral(ephemeral: Ephemeral, changes: Partial<Ephemeral>): void {
    Object.assign(ephemeral, changes);
    this.feed.emit({ type: "ephemeral_updated", ephemeral });
  }

  deleteEphemeral(ephemeral: Ephemeral): void {
    ephemeral.deleted = true;
    this.feed.emit({ type: "ephemeral_deleted", ephemeral });
  }
}

export function compareTimestamps(left: string, right: string): number {
  const [leftSeconds = "0", leftMicros = "0"] = left.split(".");
  const [rightSeconds = "0", rightMicros = "0"] = right.split(".");
  const bySeconds = Number(leftSeconds) - Number(rightSeconds);
  return bySeconds !== 0 ? bySeconds : Number(leftMicros.padEnd(6, "0")) - Number(rightMicros.padEnd(6, "0"));
}
