import type { AudienceDirectory } from "./flow.js";
import { conversationLabel, defaultLabel, joinLabels, type Label, publicLabel } from "./labels.js";
import type { HarnessServices, RunRecord } from "./services.js";
import type { RunState } from "./state.js";

/**
 * The run's side of information flow: the label its context starts with, how it grows as the run
 * reads (tool results, other people's replies), and the requester's own words that name destinations.
 * The label is a run-level join kept in the checkpoint, so masking and summaries cannot drop it.
 */

/** A directory that knows nothing: nothing private may reach any other conversation. */
export const unknownDirectory: AudienceDirectory = {
  conversation: async () => undefined,
  members: async () => [],
};

export async function directoryFor(services: HarnessServices, run: RunRecord): Promise<AudienceDirectory> {
  return (await services.directory?.(run)) ?? unknownDirectory;
}

/** The conversation's own label: a public channel's content is the workspace's, others their members'. */
export async function conversationLabelOf(
  directory: AudienceDirectory,
  channel: string,
  untrusted: boolean,
): Promise<Label> {
  const facts = await directory.conversation(channel);
  return conversationLabel({ id: channel, kind: facts?.kind ?? "private" }, untrusted);
}

/**
 * The starting context's label. The requester's own request is theirs to send anywhere (public and
 * trusted); earlier thread messages and memories given at start carry their conversation's label and
 * are untrusted, and `extra` is what the starting context declared beyond that (memories' labels).
 */
export async function startLabel(
  directory: AudienceDirectory,
  run: RunRecord,
  context: string[],
  extra: Label | undefined,
): Promise<Label> {
  if (context.length === 0) return joinLabels(publicLabel, extra);
  return joinLabels(await conversationLabelOf(directory, run.channel, true), extra);
}

/**
 * The current context label. A version 1 checkpoint did not record one: what it read is unknown, so
 * it is taken as the most private (the requester alone, untrusted, in its conversation).
 */
export async function contextLabel(
  state: RunState,
  run: RunRecord,
  directory: AudienceDirectory,
): Promise<Label> {
  if (!state.flow.label) {
    state.flow.label = joinLabels(
      await conversationLabelOf(directory, run.channel, true),
      defaultLabel(run.requesterId),
    );
    if (state.flow.requesterWords.length === 0) state.flow.requesterWords.push(run.prompt);
  }
  return state.flow.label;
}

/** A message read in the thread while working: the requester's words name destinations; others' are untrusted. */
export async function readThreadMessage(
  state: RunState,
  run: RunRecord,
  directory: AudienceDirectory,
  message: { userId?: string | null; text?: string },
): Promise<void> {
  const current = await contextLabel(state, run, directory);
  if (message.userId && message.userId === run.requesterId) {
    if (message.text !== undefined) state.flow.requesterWords.push(message.text);
    return;
  }
  state.flow.label = joinLabels(current, await conversationLabelOf(directory, run.channel, true));
}

/** Adds what a tool result was labelled with to the run's context, and the flows the requester approved. */
export function readResult(state: RunState, label: Label, approvedFlows: string[]): void {
  state.flow.label = joinLabels(state.flow.label, label);
  for (const key of approvedFlows) if (!state.flow.approved.includes(key)) state.flow.approved.push(key);
}
