import { type Audience, describeReaders, flowKey, type Label, type Reader, type Sink } from "./labels.js";

/**
 * The information-flow rule, checked by the harness before a call (./tool-runner.ts) and before the
 * final answer (./final-answer.ts): data of the run's context label may reach a sink only when the
 * sink's audience is within the label's readers; and once the run has read untrusted content while
 * holding anything not public, a destination the requester did not name needs their approval too.
 * What a conversation is and who is in it comes from an AudienceDirectory (Slack in production).
 */
export interface ConversationFacts {
  id: string;
  kind: "channel" | "private" | "im" | "mpim";
  /** Shared with another workspace or organisation (Slack Connect): outside "workspace". */
  shared: boolean;
  /** "#sales", or "a direct message" for a DM. */
  name: string;
  /** For a DM: the person on the other side. */
  imUser?: string;
}

export interface AudienceDirectory {
  /** Undefined when the conversation cannot be looked up: then nothing private may reach it. */
  conversation(id: string): Promise<ConversationFacts | undefined>;
  /** The people in a conversation (the coworker itself left out). */
  members(id: string): Promise<string[]>;
}

export interface FlowInput {
  label: Label;
  sinks: Sink[];
  requesterId: string;
  /** The run's own conversation: the requester asked there, so it counts as named. */
  channel: string;
  /** The requester's own words (the trigger and their later messages): the destinations they named. */
  requesterWords: string[];
  /** Flows the requester already approved in this run (`flowKey`). */
  approved: string[];
  directory: AudienceDirectory;
}

export interface BlockedFlow {
  sink: Sink;
  key: string;
  /** Why it needs approval, in plain words. */
  reason: string;
  /** The audience in people's words: "#sales (42 people)", "attacker.example". */
  audience: string;
}

/** The sinks of a call that need the requester's approval (empty: the call may go ahead). */
export async function blockedFlows(input: FlowInput): Promise<BlockedFlow[]> {
  const blocked: BlockedFlow[] = [];
  for (const sink of input.sinks) {
    const key = flowKey(sink.audience, input.label);
    if (input.approved.includes(key)) continue;
    let reason: string | undefined;
    if (sink.ask) {
      reason = sink.ask;
    } else if (!(await admits(input.label, sink.audience, input.directory))) {
      reason = `it carries what only ${describeReaders(input.label)} may read`;
    } else if (
      input.label.untrusted &&
      input.label.readers.length > 0 &&
      !isNamed(sink, input) &&
      sink.audience.kind !== "memory"
    ) {
      reason = "the task has read outside content and you did not name this destination";
    }
    if (reason) {
      blocked.push({ sink, key, reason, audience: await describeAudience(sink.audience, input.directory) });
    }
  }
  return blocked;
}

/** Whether every reader constraint of `label` admits `audience`. */
export async function admits(
  label: Label,
  audience: Audience,
  directory: AudienceDirectory,
): Promise<boolean> {
  for (const reader of label.readers) {
    if (!(await readerAdmits(reader, audience, directory))) return false;
  }
  return true;
}

async function readerAdmits(
  reader: Reader,
  audience: Audience,
  directory: AudienceDirectory,
): Promise<boolean> {
  if (audience.kind === "external") return false;
  if (reader === "workspace") {
    if (audience.kind !== "conversation") return true;
    const facts = await directory.conversation(audience.id);
    return facts !== undefined && !facts.shared;
  }
  if (reader.startsWith("user:")) {
    const owner = reader.slice("user:".length);
    if (audience.kind === "user") return audience.id === owner;
    if (audience.kind === "memory") return audience.scope === "user" && audience.id === owner;
    return onlyPeople(audience.id, [owner], directory);
  }
  const source = reader.slice("conversation:".length);
  if (audience.kind === "conversation" && audience.id === source) return true;
  if (audience.kind === "memory" && audience.scope === "channel") return audience.id === source;
  if (audience.kind === "memory" && audience.scope === "workspace") return false;
  const members = await directory.members(source);
  if (audience.kind === "user" || audience.kind === "memory") return members.includes(audience.id);
  return onlyPeople(audience.id, members, directory);
}

/** A conversation none of whose members is outside `people` (a DM with one of them, a smaller group). */
async function onlyPeople(
  conversation: string,
  people: string[],
  directory: AudienceDirectory,
): Promise<boolean> {
  const facts = await directory.conversation(conversation);
  if (!facts || facts.shared) return false;
  if (facts.kind === "im") return facts.imUser !== undefined && people.includes(facts.imUser);
  const members = await directory.members(conversation);
  return members.length > 0 && members.every((member) => people.includes(member));
}

/** The run's own conversation and the requester's own DM are always named; others by their words. */
function isNamed(sink: Sink, input: FlowInput): boolean {
  const { audience } = sink;
  if (audience.kind === "conversation" && audience.id === input.channel) return true;
  if (audience.kind === "user" && audience.id === input.requesterId) return true;
  const words = input.requesterWords.join("\n").toLowerCase();
  return sink.names.some((name) => name.trim().length > 1 && words.includes(name.trim().toLowerCase()));
}

/** The audience as the requester should read it before approving. */
export async function describeAudience(audience: Audience, directory: AudienceDirectory): Promise<string> {
  switch (audience.kind) {
    case "external":
      return `${audience.host} (outside Slack)`;
    case "user":
      return `a direct message to <@${audience.id}>`;
    case "memory":
      return audience.scope === "user"
        ? `<@${audience.id}>'s personal memory`
        : audience.scope === "channel"
          ? `the memory of <#${audience.id}> (every later task there reads it)`
          : "the workspace's memory (every later task in the workspace reads it)";
    case "conversation": {
      const facts = await directory.conversation(audience.id);
      if (!facts) return `<#${audience.id}>`;
      if (facts.kind === "im") return `a direct message to <@${facts.imUser ?? "?"}>`;
      const members = await directory.members(audience.id);
      const shared = facts.shared ? ", shared with other organisations" : "";
      return `${facts.name} (${members.length} ${members.length === 1 ? "person" : "people"}${shared})`;
    }
  }
}
