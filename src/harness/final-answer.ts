import type { AudienceDirectory } from "./flow.js";
import { admits, describeAudience } from "./flow.js";
import { describeReaders } from "./labels.js";
import { contextLabel } from "./run-flow.js";
import type { RunRecord } from "./services.js";
import type { RunState } from "./state.js";
import type { RunThread } from "./thread.js";

/**
 * The final answer is a sink: its audience is the run's conversation. When the run has read what
 * that audience may not read (a private channel, the requester's own data), the answer goes to the
 * requester by direct message and the thread gets a short note saying why; both exactly once.
 */
export async function deliverFinalAnswer(
  loop: { run: RunRecord; state: RunState; thread: RunThread; directory: AudienceDirectory },
  text: string,
): Promise<void> {
  const { run, state, thread, directory } = loop;
  const key = `${run.id}:final`;
  const label = await contextLabel(state, run, directory);
  const audience = { kind: "conversation" as const, id: run.channel };
  if (await admits(label, audience, directory)) {
    await thread.post(key, "final", text);
    return;
  }
  await thread.postPrivately(`${key}:private`, run.requesterId, text);
  const where = describeReaders(label);
  const thisThread = await describeAudience(audience, directory);
  await thread.post(
    key,
    "final",
    `<@${run.requesterId}> I sent you the answer privately: it draws on what only ${where} may read, and this thread reaches ${thisThread}.`,
  );
}
