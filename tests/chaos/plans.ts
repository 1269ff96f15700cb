import type { ChaosProfile } from "./profiles.js";
import type { Random } from "./random.js";

/**
 * What each chaos task asks the model to do: a sequence of tool calls (side effects counted at the
 * stand-in, an approval-gated one for some tasks, a call to a tool that hangs for others), then a final
 * answer. The fake model follows the plan turn by turn, so every run's expected effects are known.
 */
export interface PlannedCall {
  name: "record_effect" | "publish_effect" | "lookup";
  arguments: Record<string, unknown>;
}

export interface TaskPlan {
  index: number;
  calls: PlannedCall[];
  /** Effect numbers the run must have executed exactly once when it completes. */
  effects: number[];
  approval: boolean;
  hang: boolean;
  followUps: number;
}

export function planTasks(profile: ChaosProfile, random: Random): TaskPlan[] {
  return Array.from({ length: profile.tasks }, (_, index) => {
    const count = random.between(profile.effectsPerTask[0], profile.effectsPerTask[1]);
    const approval = random.chance(profile.approvalShare);
    const hang = random.chance(profile.hangShare);
    const followUps = random.chance(profile.followUpShare) ? random.between(1, 2) : 0;
    const calls: PlannedCall[] = [];
    const effects: number[] = [];
    for (let n = 1; n <= count; n++) {
      const gated = approval && n === count;
      calls.push({ name: gated ? "publish_effect" : "record_effect", arguments: { n } });
      effects.push(n);
      if (hang && n === 1) calls.push({ name: "lookup", arguments: { topic: `task ${index}`, hang: true } });
    }
    return { index, calls, effects, approval, hang, followUps };
  });
}

export const taskMarker = (index: number) => `CHAOS-TASK-${index}`;
export const followUpMarker = (index: number, number: number) => `FOLLOWUP-${index}-${number}`;
export const taskPattern = /CHAOS-TASK-(\d+)/;
export const followUpPattern = /FOLLOWUP-(\d+)-(\d+)/g;
