/**
 * The schedule phrases and the cron expressions they mean: tests/schedules/command.test.ts runs them
 * through the parser, tests/schedules/slash-command.test.ts through the slash command end to end.
 */

/** [text, normalized cron, task, description] */
export const issuePhrases: Array<[string, string, string, string]> = [
  [
    "every weekday at 9am summarize #support",
    "0 9 * * 1-5",
    "summarize #support",
    "At 09:00, Monday through Friday",
  ],
  [
    "every monday at 14:30 post the standup notes",
    "30 14 * * 1",
    "post the standup notes",
    "At 14:30, only on Monday",
  ],
  ["daily at 18:00 send the digest", "0 18 * * *", "send the digest", "At 18:00, every day"],
  ["every 2 hours summarize new issues", "0 */2 * * *", "summarize new issues", "On the hour, every 2 hours"],
  ["every 15 minutes check the deploy queue", "*/15 * * * *", "check the deploy queue", "Every 15 minutes"],
  [
    "on the 1st of every month at 8 compile invoices",
    "0 8 1 * *",
    "compile invoices",
    "At 08:00, on day 1 of the month",
  ],
  ["every day at 9 say hello", "0 9 * * *", "say hello", "At 09:00, every day"],
  ["weekdays at 9:15am run standup", "15 9 * * 1-5", "run standup", "At 09:15, Monday through Friday"],
  ["every hour ping the bot", "0 * * * *", "ping the bot", "Every hour"],
  [
    "every tuesday and thursday at 10am review PRs",
    "0 10 * * 2,4",
    "review PRs",
    "At 10:00, only on Tuesday and Thursday",
  ],
  ["hourly ping the bot", "0 * * * *", "ping the bot", "Every hour"],
  ["every sunday at noon plan the week", "0 12 * * 0", "plan the week", "At 12:00, only on Sunday"],
];

export const variantPhrases: Array<[string, string]> = [
  ["every mon, wed and fri at 8:30 a.m. standup", "30 8 * * 1,3,5"],
  ["monday to friday at 9 check in", "0 9 * * 1-5"],
  ["mon-fri at 17:45 wrap up", "45 17 * * 1-5"],
  ["every tuesday and every thursday at 10am review", "0 10 * * 2,4"],
  ["every weekend at 10 water the plants", "0 10 * * 0,6"],
  ["on weekdays at 9 triage", "0 9 * * 1-5"],
  ["every workday at 8 triage", "0 8 * * 1-5"],
  ["weekly on friday at 16:00 run the retro", "0 16 * * 5"],
  ["every friday 5pm post the weekly wins", "0 17 * * 5"],
  ["every day at midnight rotate logs", "0 0 * * *"],
  ["every day at 12am rotate logs", "0 0 * * *"],
  ["every day at 12pm lunch poll", "0 12 * * *"],
  ["every day at 9.30 stand up", "30 9 * * *"],
  ["every day at 9 o'clock stand up", "0 9 * * *"],
  ["every day at 9am and 5pm check the queue", "0 9,17 * * *"],
  ["at 9am every weekday summarize", "0 9 * * 1-5"],
  ["everyday at 7 stretch", "0 7 * * *"],
  ["each day at 7 stretch", "0 7 * * *"],
  ["every 1 day at 7 stretch", "0 7 * * *"],
  ["on the last day of the month at 18:00 close the books", "0 18 L * *"],
  ["monthly on the 15th at 9 pay invoices", "0 9 15 * *"],
  ["every month on the first at 9 pay invoices", "0 9 1 * *"],
  ["on day 10 of every month at 9 pay invoices", "0 9 10 * *"],
  ["every minute poll", "* * * * *"],
  ["every 30 mins poll", "*/30 * * * *"],
  ["every half hour poll", "*/30 * * * *"],
  ["every 15m poll", "*/15 * * * *"],
  ["every five minutes poll", "*/5 * * * *"],
  ["every 60 minutes poll", "0 * * * *"],
  ["every 120 minutes poll", "0 */2 * * *"],
  ["every other hour poll", "0 */2 * * *"],
  ["every 12 hours poll", "0 */12 * * *"],
  ["every hour on weekdays check on-call", "0 * * * 1-5"],
  ["every 15 minutes on weekdays check the queue", "*/15 * * * 1-5"],
  ["every hour at :30 post the status", "30 * * * *"],
  ["hourly at 15 past the hour post the status", "15 * * * *"],
  ["every 2 hours at :05 post the status", "5 */2 * * *"],
];

export const quotedCrons: Array<[string, string]> = [
  ['"0 9 * * 1-5" summarize #support', "0 9 * * 1-5"],
  ["'30 14 * * 1' post notes", "30 14 * * 1"],
  ["`*/15 * * * *` poll", "*/15 * * * *"],
  ["“0 9 * * MON-FRI” summarize", "0 9 * * MON-FRI"],
  ["‘0  9 * *  1’ summarize", "0 9 * * 1"],
  ["@daily back up the wiki", "0 0 * * *"],
  ['"@hourly" poll', "0 * * * *"],
];

/** Each names Europe/Warsaw somewhere: [text, cron, task]. */
export const zonedPhrases: Array<[string, string, string]> = [
  ["every weekday at 9am in Europe/Warsaw summarize", "0 9 * * 1-5", "summarize"],
  ["in Europe/Warsaw every weekday at 9am summarize", "0 9 * * 1-5", "summarize"],
  ["every weekday in Europe/Warsaw at 9am summarize", "0 9 * * 1-5", "summarize"],
  ['"0 9 * * 1-5" in Europe/Warsaw summarize', "0 9 * * 1-5", "summarize"],
  ['in Europe/Warsaw "0 9 * * 1-5" summarize', "0 9 * * 1-5", "summarize"],
  ["every weekday at 9am in europe/warsaw: summarize", "0 9 * * 1-5", "summarize"],
  ["every weekday at 9am summarize in Europe/Warsaw", "0 9 * * 1-5", "summarize"],
  ['"0 9 * * 1-5" summarize in Europe/Warsaw.', "0 9 * * 1-5", "summarize"],
  ["in Europe/Warsaw every weekday at 9am summarize in Europe/Warsaw", "0 9 * * 1-5", "summarize"],
];

/** Timezones that are wrong or doubled: [text, why]. */
export const rejectedTimezonePhrases: Array<[string, RegExp]> = [
  ["every day at 9 in Europe/Warsw report", /"Europe\/Warsw" is not a known timezone/],
  ["every day at 9 in Mars/Olympus report", /not a known timezone/],
  ["every day at 9 in EST report", /"EST" is an abbreviation/],
  ['"0 9 * * *" in CET report', /"CET" is an abbreviation/],
  ["in Europe/Warsaw every day at 9 in Asia/Tokyo report", /Two timezones/],
  ['in Europe/Warsaw "0 9 * * *" in Asia/Tokyo report', /Two timezones/],
  ["every day at 9 report in Europe/Warsaw in Asia/Tokyo", /Two timezones/],
  ["every day at 9 in Europe/Warsaw report in Asia/Tokyo", /Two timezones/],
  ["every day at 9 report in Europe/Warsw", /"Europe\/Warsw" is not a known timezone/],
  ["every day at 9 in Europe/Warsaw", /Say what to do/],
];

/** Schedules that cannot be read or cannot be cron: [text, why]. */
export const rejectedSchedulePhrases: Array<[string, RegExp]> = [
  ["every 7 minutes poll", /7 minutes does not divide an hour evenly/],
  ["every 90 minutes poll", /90 minutes is not a whole number of hours/],
  ["every 45 minutes poll", /45 minutes does not divide an hour evenly/],
  ["every 0 hours poll", /at least 1 hour/],
  ["every 0 minutes poll", /at least 1 minute/],
  ["every 5 hours poll", /5 hours does not divide a day evenly/],
  ["every 24 hours poll", /once a day: say at what time/],
  ["every 30 seconds poll", /Seconds are not supported/],
  ["every day at 25:00 report", /"25:00" is not a time of day: hours go from 0 to 23/],
  ["every day at 24:00 report", /write midnight or 00:00/],
  ["every day at 9:60 report", /minutes go from 00 to 59/],
  ["every day at 9:5 report", /two digits/],
  ["every day at 13pm report", /"13pm" is not a 12-hour time/],
  ["every day at 0am report", /"0am" is not a 12-hour time/],
  ["every day at 9:15 and 17:30 report", /must share their minutes/],
  ['"0 0 9 * * 1" report', /6 fields; seconds are not supported/],
  ['"0 9 * *" report', /4 fields; cron needs exactly 5/],
  ['"0 25 * * *" report', /25 is out of range for the hour field/],
  ['"H 9 * * *" report', /random "H" values are not supported/],
  ['"0 9 * * 1-5 report', /opening quote but no closing one/],
  ["0 9 * * 1-5 summarize", /put it in quotes/],
  ["sometimes do the thing", /could not read a schedule in "sometimes do the thing"/],
  ["every monday send the report", /"every monday" needs a time/],
  ["weekly at 9 send the report", /"weekly" needs a day of the week/],
  ["monthly at 9 send the report", /"monthly" needs a day/],
  ["at 9am send the report", /"at 9am" needs to say how often/],
  ["every 2 hours at 9am poll", /do not fit together/],
  ["every 15 minutes at :30 poll", /fits hourly intervals only/],
  ["every day every monday at 9 report", /two different day rules/],
  ["every 2 hours every 15 minutes poll", /two different frequencies/],
  ["every other day at 9 report", /every other day" cannot be a regular schedule/],
  ["every 2 weeks at 9 report", /cron cannot count weeks/],
  ["on the 31st of every month at 9 report", /Not every month has a 31st day/],
  ["on the 32nd of every month at 9 report", /not a day of the month/],
  ["every 15 minutes between 9 and 17 poll", /could not read "between 9 and 17" as part of the schedule/],
  ["every monday at 9 and tuesday at 10 report", /could not read "and tuesday at 10"/],
  ["every day at 9am-5pm poll", /could not read "5pm poll"/],
  ["every day at 9", /Say what to do/],
  ['"0 9 * * *"', /Say what to do/],
  ["", /Say when and what/],
];

export const rejectedPhrases: Array<[string, RegExp]> = [
  ...rejectedTimezonePhrases,
  ...rejectedSchedulePhrases,
];
