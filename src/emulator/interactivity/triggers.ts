import type { Now } from "../clock.js";
import type { IdSource } from "../ids.js";

interface Trigger {
  teamId: string;
  userId: string;
  issuedAt: number;
  used: boolean;
}

export type TriggerCheck =
  | { ok: true; teamId: string; userId: string }
  | { ok: false; error: "invalid_trigger_id" | "expired_trigger_id" | "exchanged_trigger_id" };

/** Trigger ids: issued with every interaction, valid for a few seconds (3 s on Slack), usable once. */
export class TriggerRegistry {
  private readonly triggers = new Map<string, Trigger>();

  constructor(
    private readonly ids: IdSource,
    private readonly now: Now,
    private readonly ttlMs: number,
  ) {}

  issue(teamId: string, userId: string): string {
    const id = `${this.ids.digits(11)}.${this.ids.digits(9)}.${this.ids.hex(32)}`;
    this.triggers.set(id, { teamId, userId, issuedAt: this.now(), used: false });
    return id;
  }

  /** Uses up a trigger id, or says why it cannot be used. */
  consume(id: string, teamId: string): TriggerCheck {
    const trigger = this.triggers.get(id);
    if (!trigger || trigger.teamId !== teamId) return { ok: false, error: "invalid_trigger_id" };
    if (trigger.used) return { ok: false, error: "exchanged_trigger_id" };
    if (this.now() - trigger.issuedAt > this.ttlMs) return { ok: false, error: "expired_trigger_id" };
    trigger.used = true;
    return { ok: true, teamId: trigger.teamId, userId: trigger.userId };
  }
}
