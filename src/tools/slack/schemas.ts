import { z } from "zod";

/** Input pieces shared by the Slack tools. */
export const slackTimestamp = z
  .string()
  .regex(/^\d{9,11}\.\d{6}$/, "must be a Slack message ts like 1712345678.000200");

export const channelReference = z.string().trim().min(1).max(200);
