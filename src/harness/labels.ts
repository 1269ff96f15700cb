import { z } from "zod";

/**
 * Information-flow labels. Every value a tool returns carries a Label: who may read it (`readers`, a
 * conjunction of constraints; none means everyone) and whether it is untrusted (not written by the
 * requester). The run's context is the join of everything it has read. Every exit is a Sink with an
 * Audience; the harness lets data reach a sink only when the audience is within the label's readers
 * (./flow.ts). The harness owns these types; tools import them.
 */
export type Reader =
  /** Any member of this workspace (a public channel's content). */
  | "workspace"
  /** Only the members of a private channel, group DM or DM. */
  | `conversation:${string}`
  /** Only this person (their personal memory, their Google data). */
  | `user:${string}`;

export interface Label {
  /** A conjunction: the data may reach only audiences every constraint admits. Empty = everyone. */
  readers: Reader[];
  untrusted: boolean;
}

export const labelSchema = z.object({
  readers: z
    .array(z.string().regex(/^(workspace|conversation:.+|user:.+)$/))
    .transform((readers) => readers.map((reader) => reader as Reader)),
  untrusted: z.boolean(),
});

/** Written by the requester, readable by anyone: the bottom of the lattice. */
export const publicLabel: Label = { readers: [], untrusted: false };
/** The public web: anyone may read it, nobody vouches for it. */
export const webLabel: Label = { readers: [], untrusted: true };

export function userLabel(userId: string, untrusted = true): Label {
  return { readers: [`user:${userId}`], untrusted };
}

/** A Slack conversation's content: a public channel is readable by the workspace, the others by their members. */
export function conversationLabel(
  conversation: { id: string; kind: "channel" | "private" | "im" | "mpim" },
  untrusted = true,
): Label {
  return {
    readers: [conversation.kind === "channel" ? "workspace" : `conversation:${conversation.id}`],
    untrusted,
  };
}

/** For tools that declare nothing: the requester alone, untrusted. */
export function defaultLabel(requesterId: string): Label {
  return userLabel(requesterId, true);
}

/** The least label above all of `labels`: every constraint of each, untrusted if any is. */
export function joinLabels(...labels: Array<Label | undefined>): Label {
  const readers = new Set<Reader>();
  let untrusted = false;
  for (const label of labels) {
    if (!label) continue;
    for (const reader of label.readers) readers.add(reader);
    untrusted ||= label.untrusted;
  }
  return { readers: [...readers].sort(), untrusted };
}

/** Whether `inner` flows into `outer` without widening anything (used to skip no-op updates). */
export function sameLabel(a: Label, b: Label): boolean {
  return a.untrusted === b.untrusted && a.readers.join(",") === b.readers.join(",");
}

/** The readers in people's words: "everyone", "members of <#C1>", "<@U1> alone". */
export function describeReaders(label: Label): string {
  if (label.readers.length === 0) return "everyone";
  return label.readers
    .map((reader) => {
      if (reader === "workspace") return "members of this workspace";
      if (reader.startsWith("conversation:")) return `members of <#${reader.slice("conversation:".length)}>`;
      return `<@${reader.slice("user:".length)}> alone`;
    })
    .join(" and ");
}

/** Where data can go. */
export type Audience =
  /** A post, upload or reaction in a channel, group DM or DM: its members. */
  | { kind: "conversation"; id: string }
  /** A direct message to a person. */
  | { kind: "user"; id: string }
  /** Anything outside Slack: the host of a URL, a search provider, mail recipients, calendar guests. */
  | { kind: "external"; host: string }
  /** The coworker's memory at a scope: every later run there can read it. */
  | { kind: "memory"; scope: "user" | "channel" | "workspace"; id: string };

export interface Sink {
  audience: Audience;
  /**
   * How the requester would name this destination (a host, `#name`, a channel or user id, an address):
   * after untrusted content, a destination none of whose names the requester wrote needs approval.
   */
  names: string[];
  /** What leaves: the data-bearing arguments, shortened, for the approval request. */
  preview: string;
  /** Set when this sink always needs the requester's approval (e.g. shared memory): the reason. */
  ask?: string;
}

export function audienceKey(audience: Audience): string {
  switch (audience.kind) {
    case "conversation":
      return `conversation:${audience.id}`;
    case "user":
      return `user:${audience.id}`;
    case "external":
      return `external:${audience.host}`;
    case "memory":
      return `memory:${audience.scope}:${audience.id}`;
  }
}

/** One approval covers one flow: this audience receiving data of this label, for the rest of the run. */
export function flowKey(audience: Audience, label: Label): string {
  return `${audienceKey(audience)}<=${label.readers.join(",")}${label.untrusted ? "+untrusted" : ""}`;
}

/** Shortens a value for people: the head and a count of what was left out. */
export function previewOf(value: string, limit = 300): string {
  return value.length > limit ? `${value.slice(0, limit)}… (${value.length - limit} more characters)` : value;
}
