export type Now = () => number;

/**
 * Message timestamps (`"1712345678.000200"`): seconds and microseconds from the injected clock,
 * strictly increasing so that every message in the emulator has a distinct `ts`.
 */
export class TimestampSource {
  private lastMicros = 0;

  constructor(private readonly now: Now) {}

  next(): string {
    const micros = Math.max(Math.floor(this.now() * 1000), this.lastMicros + 1);
    this.lastMicros = micros;
    return formatTimestamp(micros);
  }
}

export function formatTimestamp(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  return `${seconds}.${String(micros % 1_000_000).padStart(6, "0")}`;
}

/** `true` for strings shaped like a Slack message timestamp (Slack rejects "" or "0" as `invalid_thread_ts`). */
export function isTimestamp(value: string): boolean {
  return /^\d{1,10}\.\d{1,6}$/.test(value);
}

export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
