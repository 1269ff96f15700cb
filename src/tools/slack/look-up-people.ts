import { z } from "zod";
import type { Label } from "../../harness/labels.js";
import type { SlackClient } from "../../slack/clients.js";
import { defineTool, type Tool } from "../tool.js";
import { parseReference } from "./access.js";
import { slackClientOf } from "./services.js";
import { platformError } from "./slack-errors.js";

export const lookUpPeopleInput = z.object({
  query: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .describe("Who to find: a name, display name, email address, or a user id (U0123 or <@U0123>)"),
  limit: z.number().int().min(1).max(20).default(5).describe("How many people to show at most (default 5)"),
});

export type LookUpPeopleInput = z.infer<typeof lookUpPeopleInput>;

type SlackUser = NonNullable<Awaited<ReturnType<SlackClient["users"]["info"]>>["user"]>;

const maximumPages = 10;

export const lookUpPeopleTool: Tool<LookUpPeopleInput> = defineTool<LookUpPeopleInput>({
  name: "look_up_people",
  description:
    "Look up people in this Slack workspace by name, email or user id. Returns their user id (mention them " +
    "as <@U0123>), names, title, time zone and whether they are a guest, bot or deactivated.",
  input: lookUpPeopleInput,
  risk: "read",
  timeoutMs: 60_000,
  outputLimit: 10_000,
  summarize: (input) => `Look up "${input.query}" in Slack`,
  async execute(input, context) {
    const client = await slackClientOf(context);
    const people = await find(client, input.query, input.limit);
    // The workspace's directory: any member may read it; people write their own profiles.
    const label: Label = { readers: ["workspace"], untrusted: true };
    if (people.length === 0) return { content: `Nobody found for "${input.query}".`, untrusted: true, label };
    return { content: people.map(describe).join("\n\n"), untrusted: true, label };
  },
});

async function find(client: SlackClient, query: string, limit: number): Promise<SlackUser[]> {
  const reference = parseReference(query);
  if ("user" in reference) {
    try {
      const { user } = await client.users.info({ user: reference.user });
      return user ? [user] : [];
    } catch (error) {
      if (platformError(error) === "user_not_found") return [];
      throw error;
    }
  }
  const wanted = query.toLowerCase().replace(/^@/, "");
  const matches: Array<{ user: SlackUser; exact: boolean }> = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await client.users.list({ limit: 200, cursor });
    for (const user of page.members ?? []) {
      const fields = [
        user.name,
        user.real_name,
        user.profile?.display_name,
        user.profile?.real_name,
        user.profile?.email,
      ].map((field) => field?.toLowerCase() ?? "");
      if (fields.some((field) => field === wanted)) matches.push({ user, exact: true });
      else if (fields.some((field) => field.includes(wanted))) matches.push({ user, exact: false });
    }
    cursor = page.response_metadata?.next_cursor || undefined;
    pages += 1;
  } while (cursor && pages < maximumPages);
  return matches
    .sort((a, b) => Number(b.exact) - Number(a.exact))
    .slice(0, limit)
    .map((match) => match.user);
}

function describe(user: SlackUser): string {
  const flags = [
    user.deleted ? "deactivated" : undefined,
    user.is_bot ? "bot" : undefined,
    user.is_restricted || user.is_ultra_restricted ? "guest" : undefined,
    user.is_admin ? "admin" : undefined,
  ].filter(Boolean);
  const lines = [
    `<@${user.id}> ${user.real_name ?? user.name ?? ""}${flags.length ? ` (${flags.join(", ")})` : ""}`,
    `  handle: @${user.name ?? ""}`,
  ];
  if (user.profile?.display_name) lines.push(`  display name: ${user.profile.display_name}`);
  if (user.profile?.title) lines.push(`  title: ${user.profile.title}`);
  if (user.profile?.email) lines.push(`  email: ${user.profile.email}`);
  if (user.tz) lines.push(`  time zone: ${user.tz}${user.tz_label ? ` (${user.tz_label})` : ""}`);
  if (user.profile?.status_text) lines.push(`  status: ${user.profile.status_text}`);
  return lines.join("\n");
}
