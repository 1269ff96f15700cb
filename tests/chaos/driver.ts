import type { Delivery, Message, SlackEmulator } from "../../src/emulator/index.js";
import { approvalActions } from "../../src/slack/blocks/approval.js";
import { followUpMarker, type TaskPlan, taskMarker } from "./plans.js";
import type { Random } from "./random.js";

/**
 * The people in a chaos run: they mention the bot with tasks at random moments, post follow-ups in
 * the threads while runs work, and click Approve on approval messages (clicking again only when the
 * click could not be delivered, as a person does when Slack shows an error).
 */
export interface PostedTask {
  plan: TaskPlan;
  channel: string;
  ts: string;
  user: string;
  deliveries: Delivery[];
}

export interface PostedFollowUp {
  task: number;
  marker: string;
  channel: string;
  threadTs: string;
  ts: string;
  deliveries: Delivery[];
}

export interface ApprovalClicks {
  /** From the button's value (the approval it decides). */
  approvalId: string | undefined;
  channel: string;
  messageTs: string;
  user: string;
  attempts: number;
  acked: boolean;
}

export interface Driver {
  tasks: PostedTask[];
  followUps: PostedFollowUp[];
  approvals: ApprovalClicks[];
  /** Resolves when every task and follow-up is posted and every click attempt has finished. */
  finished(): Promise<void>;
  stop(): void;
}

export function startDriver(options: {
  slack: SlackEmulator;
  plans: TaskPlan[];
  random: Random;
  postWindowMs: number;
}): Driver {
  const { slack, random } = options;
  const people = [slack.users.alice, slack.users.bob, slack.users.carol];
  const channels = [slack.channels.general, slack.channels.random];
  const tasks: PostedTask[] = [];
  const followUps: PostedFollowUp[] = [];
  const approvals: ApprovalClicks[] = [];
  const pending = new Set<Promise<unknown>>();
  const timers = new Map<NodeJS.Timeout, () => void>();
  let stopped = false;
  const later = (delayMs: number, work: () => Promise<unknown>) => {
    const done = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        work()
          .catch((error: unknown) => console.error("chaos driver:", error))
          .finally(resolve);
      }, delayMs);
      timers.set(timer, resolve);
    });
    pending.add(done);
    void done.finally(() => pending.delete(done));
  };

  const requesters = new Map<string, string>();
  for (const plan of options.plans) {
    const user = people[plan.index % people.length]!;
    const channel = channels[plan.index % channels.length]!;
    const at = random.next() * options.postWindowMs;
    const followUpDelays = Array.from({ length: plan.followUps }, () => random.between(500, 8000));
    later(at, async () => {
      const posted = await slack.mention({
        user,
        channel,
        text: `${taskMarker(plan.index)}: please work through your plan.`,
      });
      requesters.set(`${posted.channel}:${posted.ts}`, user.id);
      tasks.push({
        plan,
        channel: posted.channel,
        ts: posted.ts,
        user: user.id,
        deliveries: posted.deliveries,
      });
      followUpDelays.forEach((delay, position) => {
        later(delay * (position + 1), async () => {
          const marker = followUpMarker(plan.index, position + 1);
          const reply = await slack.reply({
            user,
            channel: posted.channel,
            threadTs: posted.ts,
            text: `${marker}: also keep this in mind, please.`,
          });
          followUps.push({
            task: plan.index,
            marker,
            channel: posted.channel,
            threadTs: posted.ts,
            ts: reply.ts,
            deliveries: reply.deliveries,
          });
        });
      });
    });
  }

  const unsubscribe = slack.store.subscribe((change) => {
    const value = change.type === "message_posted" ? approveButtonValue(change.message) : undefined;
    if (change.type !== "message_posted" || value === undefined) return;
    const message = change.message;
    const user = requesters.get(`${message.channel}:${message.threadTs}`);
    if (!user) return;
    const clicks: ApprovalClicks = {
      approvalId: approvalIdOf(value),
      channel: message.channel,
      messageTs: message.ts,
      user,
      attempts: 0,
      acked: false,
    };
    approvals.push(clicks);
    const click = async (): Promise<void> => {
      if (stopped) return;
      clicks.attempts += 1;
      const result = await slack
        .clickButton({
          user,
          channel: message.channel,
          messageTs: message.ts,
          actionId: approvalActions.approve,
        })
        .catch(() => undefined);
      clicks.acked = result?.acked ?? false;
      if (!clicks.acked && clicks.attempts < 60) later(1500, click);
    };
    later(random.between(300, 2000), click);
  });

  return {
    tasks,
    followUps,
    approvals,
    async finished() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    stop() {
      stopped = true;
      unsubscribe();
      for (const [timer, resolve] of timers) {
        clearTimeout(timer);
        resolve();
      }
      timers.clear();
    },
  };
}

/** The Approve button's value, when the message has one. */
function approveButtonValue(message: Message): string | undefined {
  for (const block of message.blocks ?? []) {
    for (const element of (block.elements as Array<{ action_id?: string; value?: string }> | undefined) ??
      []) {
      if (element.action_id === approvalActions.approve) return element.value ?? "";
    }
  }
  return undefined;
}

function approvalIdOf(value: string): string | undefined {
  try {
    const parsed = JSON.parse(value) as { approvalId?: unknown };
    return typeof parsed.approvalId === "string" ? parsed.approvalId : undefined;
  } catch {
    return undefined;
  }
}
