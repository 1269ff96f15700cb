import type { Conversation, User } from "../state/types.js";

/**
 * What a Slack client sends for what a person typed: `&`, `<` and `>` escaped as entities, then
 * `@name` turned into a `<@U…>` mention (matching handle, display name or real name, case
 * insensitive, so `@Coworker` and `@coworker` both reach the bot), `@here`/`@channel`/`@everyone`
 * into `<!here>`…, and `#channel` into `<#C…|channel>`.
 */
export function encodeComposerText(text: string, people: User[], channels: Conversation[]): string {
  const escaped = text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
  const mentionable = people.filter((person) => !person.deleted);
  return escaped
    .replace(/(^|[^\w@])@([\w-]+(?:\.[\w-]+)*)/g, (whole, before: string, name: string) => {
      const lower = name.toLowerCase();
      if (lower === "here" || lower === "channel" || lower === "everyone") return `${before}<!${lower}>`;
      const person = mentionable.find((candidate) => personNames(candidate).includes(lower));
      return person ? `${before}<@${person.id}>` : whole;
    })
    .replace(/(^|[^\w&#])#([\w-]+)/g, (whole, before: string, name: string) => {
      const channel = channels.find(
        (candidate) => candidate.name !== undefined && candidate.name.toLowerCase() === name.toLowerCase(),
      );
      return channel ? `${before}<#${channel.id}|${channel.name}>` : whole;
    });
}

function personNames(person: User): string[] {
  return [person.name, person.displayName, person.realName.replaceAll(/\s+/g, "")].map((name) =>
    name.toLowerCase(),
  );
}

/** `/coworker deploy now` → `{ command: "/coworker", text: "deploy now" }`; undefined for plain text. */
export function parseSlashCommand(text: string): { command: string; text: string } | undefined {
  const match = /^(\/[a-z0-9_-]+)(?:\s+([\s\S]*))?$/i.exec(text.trim());
  if (!match?.[1]) return undefined;
  return { command: match[1].toLowerCase(), text: (match[2] ?? "").trim() };
}
