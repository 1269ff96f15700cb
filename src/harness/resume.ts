import { saveCheckpoint } from "./checkpoint.js";
import type { AudienceDirectory } from "./flow.js";
import { resolveUnknown } from "./ledger.js";
import type { NextStep } from "./next-step.js";
import { readThreadMessage } from "./run-flow.js";
import type { HarnessServices, RunRecord } from "./services.js";
import type { RunState } from "./state.js";
import { takeSteering } from "./steering.js";

/**
 * Continuing a parked run: the approval it waits for was decided, or the person answered its question
 * (the answer to "did this happen?" settles an unknown effect; any other answer joins the transcript).
 * Only the run's requester answers its questions.
 */
interface Parked {
  state: RunState;
  services: HarnessServices;
  run: RunRecord;
  directory: AudienceDirectory;
}

/** Continues after a park: an approval decided, or the person answered a question. */
export async function resumeFromWait(loop: Parked): Promise<NextStep | undefined> {
  const { state, services } = loop;
  const waiting = state.waiting!;
  if (waiting.kind === "approval") {
    const approval = await services.database.approval.findUnique({ where: { id: waiting.approvalId } });
    if (approval?.status === "pending") return { type: "wait_for_approval", approvalId: waiting.approvalId };
    endWait(loop);
    return undefined;
  }
  // Only the requester answers: anyone else's reply stays in the log, and reaches the model as
  // fenced context with the next model call (src/harness/steering.ts), without waking the run.
  const replies = (await takeSteering(services.database, loop.run, services.messageLimit)).filter(
    (reply) => reply.fromRequester,
  );
  if (replies.length === 0) return { type: "wait_for_input", question: waiting.question };
  endWait(loop);
  const answer = replies.map((reply) => reply.content).join("\n");
  if (waiting.unknownEffectKey) {
    const retry = /\bretry\b/i.test(answer);
    await resolveUnknown(services.database, waiting.unknownEffectKey, !retry);
  } else {
    for (const reply of replies) {
      state.messages.push({ role: "user", content: reply.content });
      await readThreadMessage(state, loop.run, loop.directory, reply);
    }
  }
  await saveCheckpoint(services.database, loop.run.id, state, {
    deliveredMessageIds: replies.map((reply) => reply.id),
  });
  return undefined;
}

/** The person answered: the time parked does not count against the run's wall-clock budget. */
function endWait(loop: Parked): void {
  const { state } = loop;
  state.waiting = undefined;
  if (state.parkedAt !== undefined) {
    state.waitedMs += Math.max(0, loop.services.now() - state.parkedAt);
    state.parkedAt = undefined;
  }
}
