/** Small mrkdwn helpers shared by the Block Kit builders. */
export function escapeText(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** A code block that cannot be closed early by its content. */
export function codeBlock(text: string): string {
  return `\`\`\`${escapeText(text).replaceAll("```", "`\u200b``")}\`\`\``;
}

/** A date Slack shows in each reader's time zone (with an ISO fallback). */
export function slackDate(date: Date): string {
  const seconds = Math.floor(date.getTime() / 1000);
  return `<!date^${seconds}^{date_short_pretty} at {time}|${date.toISOString()}>`;
}

export function clip(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}
