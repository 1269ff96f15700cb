/** Why a schedule could not be read, with examples of what works; shown to the user as is. */
export interface ScheduleParseFailure {
  ok: false;
  /** One or two sentences: what is wrong and what to write instead. */
  reason: string;
  /** Whole `/coworker schedule` arguments that would work. */
  examples: string[];
}

export const PHRASE_EXAMPLES = [
  "every weekday at 9am summarize #support",
  "every monday at 14:30 post the standup notes",
  "daily at 18:00 in Europe/Warsaw send the sales digest",
  "every tuesday and thursday at 10am review open pull requests",
  "on the 1st of every month at 8 compile the invoice list",
] as const;

export const INTERVAL_EXAMPLES = [
  "every 15 minutes check the deploy queue",
  "every 2 hours summarize new issues",
  "every hour on weekdays check the on-call channel",
] as const;

export const CRON_EXAMPLES = [
  '"0 9 * * 1-5" summarize #support',
  '"30 14 * * 1" post the standup notes',
  '"*/15 9-17 * * 1-5" check the deploy queue',
] as const;

export function failure(reason: string, examples: readonly string[] = PHRASE_EXAMPLES): ScheduleParseFailure {
  return { ok: false, reason, examples: [...examples] };
}
