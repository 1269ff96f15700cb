/**
 * The model writes Markdown. Slack's `markdown` block renders standard Markdown (up to 12,000
 * characters per message), so answers are sent as markdown blocks, split on paragraph boundaries,
 * with a plain-text fallback for notifications.
 */
export const markdownBlockLimit = 12_000;
const partLimit = 11_000;

export interface MessagePart {
  text: string;
  blocks: unknown[];
}

export function formatAnswer(markdown: string): MessagePart[] {
  return splitMarkdown(markdown, partLimit).map((part) => ({
    text: plainFallback(part),
    blocks: [{ type: "markdown", text: part }],
  }));
}

/** Splits at blank lines, then lines, then hard, keeping fenced code blocks balanced. */
export function splitMarkdown(markdown: string, limit: number): string[] {
  if (markdown.length <= limit) return [markdown];
  const parts: string[] = [];
  let rest = markdown;
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    let cut = window.lastIndexOf("\n\n");
    if (cut < limit / 2) cut = window.lastIndexOf("\n");
    if (cut < limit / 2) cut = limit;
    let part = rest.slice(0, cut);
    rest = rest.slice(cut).replace(/^\n+/, "");
    if ((part.match(/^```/gm)?.length ?? 0) % 2 === 1) {
      part += "\n```";
      rest = `\`\`\`\n${rest}`;
    }
    parts.push(part);
  }
  if (rest.length) parts.push(rest);
  return parts;
}

function plainFallback(markdown: string): string {
  return markdown.length > 3000 ? `${markdown.slice(0, 2990)}…` : markdown;
}
