import { z } from "zod";

/** Shared input fields for the Google tools. */
const emailPattern = /^[^\s@<>,]+@[^\s@<>,]+\.[^\s@<>,]+$/;

export const address = z
  .string()
  .trim()
  .refine(
    (value) => !/[\r\n]/.test(value) && emailPattern.test((/<([^>]+)>/.exec(value)?.[1] ?? value).trim()),
    { message: "must be an email address, optionally with a name: `Ana <ana@example.com>`" },
  );

export const instant = z.iso
  .datetime({ offset: true })
  .describe("RFC 3339 date and time with offset, e.g. 2025-03-04T09:00:00+01:00 or 2025-03-04T08:00:00Z");

export const calendarId = z
  .string()
  .default("primary")
  .describe("Calendar id: \"primary\" (the person's own calendar) or a calendar's address");

export const headerSafe = (description: string) =>
  z
    .string()
    .refine((value) => !/[\r\n]/.test(value), { message: "must be one line" })
    .describe(description);

/** Runs `work` over items with at most `limit` at a time, keeping order. */
export async function mapLimit<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  });
  await Promise.all(workers);
  return results;
}
