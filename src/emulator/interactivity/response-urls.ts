import type { Now } from "../clock.js";
import type { IdSource } from "../ids.js";

/** Where a response_url posts to: the conversation, the user, and the message interacted with. */
export interface ResponseUrlTarget {
  id: string;
  teamId: string;
  channel: string;
  userId: string;
  /** The message whose button was clicked (block_actions); replace/delete_original act on it. */
  messageTs: string | undefined;
  isEphemeral: boolean;
  threadTs: string | undefined;
  source: "block_actions" | "slash_command";
  createdAt: number;
  uses: number;
}

/** Slack's limits: 5 uses within 30 minutes. */
export const responseUrlMaxUses = 5;
export const responseUrlLifetimeMs = 30 * 60 * 1000;

export class ResponseUrlRegistry {
  private readonly targets = new Map<string, ResponseUrlTarget>();

  constructor(
    private readonly ids: IdSource,
    private readonly now: Now,
    private readonly baseUrl: () => string,
  ) {}

  /** A new response_url for an interaction. */
  issue(target: Omit<ResponseUrlTarget, "id" | "createdAt" | "uses">): string {
    const id = `${target.teamId}/${this.ids.digits(13)}/${this.ids.next("", 24)}`;
    this.targets.set(id, { ...target, id, createdAt: this.now(), uses: 0 });
    return `${this.baseUrl()}/response/${id}`;
  }

  get(id: string): ResponseUrlTarget | undefined {
    return this.targets.get(id);
  }
}
