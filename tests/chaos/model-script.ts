import type { FakeCall, FakeReply, FakeRequestBody } from "../support/fake-model-server.js";
import { followUpPattern, type TaskPlan, taskPattern } from "./plans.js";
import type { Random } from "./random.js";

/**
 * The fake model's side of the chaos run. It follows each task's plan turn by turn (the turn is the
 * number of tool results in the request), tags every answer with its request index (`[req N]`) so
 * the checks can tell which answer each committed step holds, lists the follow-ups it was shown in
 * its final answer, and, while faults are on, answers a share of calls with 429, 500 or nothing.
 */
export type ModelOutcome = "answered" | "rate_limited" | "server_error" | "timed_out" | "unknown_task";

export interface ModelRequestRecord {
  index: number;
  /** `<task or follow-up marker>:<turn>`: one model step of one run. */
  key: string;
  outcome: ModelOutcome;
}

export interface ChaosModel {
  reply(body: FakeRequestBody, call: FakeCall): FakeReply;
  log: ModelRequestRecord[];
  /** Faults injected so far, by outcome. */
  injected(): { rateLimited: number; serverErrors: number; timeouts: number };
}

export interface ChaosModelOptions {
  plans: TaskPlan[];
  random: Random;
  shares: { rateLimit: number; serverError: number; timeout: number };
  faulting(): boolean;
}

export function chaosModel(options: ChaosModelOptions): ChaosModel {
  const log: ModelRequestRecord[] = [];
  const counts = { rateLimited: 0, serverErrors: 0, timeouts: 0 };
  return {
    log,
    injected: () => ({ ...counts }),
    reply(body, call) {
      const messages = body.messages.map((message) => ({
        role: message.role,
        text: textOf(message.content),
      }));
      const firstAnswer = messages.findIndex((message) => message.role === "assistant");
      const opening = firstAnswer === -1 ? messages : messages.slice(0, firstAnswer);
      // The run's own prompt: thread context comes before it, steering ("New message in the thread
      // from ...") after it, and neither starts with a marker.
      const prompt =
        opening.find((message) => message.role === "user" && /^(CHAOS-TASK|FOLLOWUP)-/.test(message.text))
          ?.text ?? "";
      const turn = messages.filter((message) => message.role === "tool").length;
      const followUp = prompt.match(/^FOLLOWUP-(\d+)-(\d+)/);
      const task = prompt.match(taskPattern);
      const marker = followUp?.[0] ?? task?.[0];
      if (!marker) {
        log.push({ index: call.index, key: `unknown:${turn}`, outcome: "unknown_task" });
        return { text: "I do not know this task." };
      }
      const key = `${marker}:${turn}`;
      if (options.faulting()) {
        const roll = options.random.next();
        const { rateLimit, serverError, timeout } = options.shares;
        if (roll < rateLimit) {
          counts.rateLimited += 1;
          log.push({ index: call.index, key, outcome: "rate_limited" });
          return { status: 429, retryAfter: 1 };
        }
        if (roll < rateLimit + serverError) {
          counts.serverErrors += 1;
          log.push({ index: call.index, key, outcome: "server_error" });
          return { status: 500 };
        }
        if (roll < rateLimit + serverError + timeout) {
          counts.timeouts += 1;
          log.push({ index: call.index, key, outcome: "timed_out" });
          return { hang: true };
        }
      }
      log.push({ index: call.index, key, outcome: "answered" });
      const delayMs = options.random.between(20, 200);
      const tag = `[req ${call.index}]`;
      const plan = followUp ? undefined : options.plans[Number(task?.[1])];
      const next = plan?.calls[turn];
      if (next) return { text: tag, toolCalls: [{ name: next.name, arguments: next.arguments }], delayMs };
      const seen = [
        ...new Set(
          messages.flatMap((message) => [...message.text.matchAll(followUpPattern)].map((match) => match[0])),
        ),
      ];
      const done = followUp ? `Noted ${marker}.` : `Task ${marker} is done.`;
      return { text: `${done} ${tag} Follow-ups seen: ${seen.join(", ") || "none"}.`, delayMs };
    },
  };
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (content === null || content === undefined) return "";
  return JSON.stringify(content);
}
