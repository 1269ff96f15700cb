/**
 * What the harness needs from the conversation surface (a Slack thread in production, an in-memory
 * recorder in benchmarks). Messages are posted exactly once per key; progress is best effort.
 */
export type RunPhase =
  | "working"
  | "waiting_approval"
  | "waiting_input"
  | "done"
  | "failed"
  | "cancelled"
  | "stopped";

export interface RunProgress {
  phase: RunPhase;
  step: number;
  /** What the coworker is doing, in plain words ("Reading https://…", "Thinking"). */
  activity: string;
  elapsedMs: number;
}

export interface ApprovalPrompt {
  approvalId: string;
  tool: string;
  summary: string;
  arguments: unknown;
  approvers: string[];
  /** Signed token bound to run, call and arguments (carried by the buttons). */
  token: string;
  /**
   * Set when the call would move data to an audience the requester has not allowed: what leaves and
   * to whom. Such a request goes to the requester alone, privately.
   */
  flows?: FlowShown[];
}

export interface FlowShown {
  /** "#sales (42 people)", "attacker.example (outside Slack)". */
  audience: string;
  /** What leaves: the data-bearing arguments, shortened. */
  preview: string;
  reason: string;
}

export type ThreadMessageKind = "final" | "notice" | "question";

export interface RunThread {
  progress(update: RunProgress): Promise<void>;
  /** Posts once per key, even across crashes (reconciled through message metadata). */
  post(key: string, kind: ThreadMessageKind, text: string): Promise<{ ts: string }>;
  requestApproval(key: string, prompt: ApprovalPrompt): Promise<{ ts: string }>;
  /** A direct message to one person, once per key: for what the thread's audience may not read. */
  postPrivately(key: string, userId: string, text: string): Promise<{ ts: string }>;
}
