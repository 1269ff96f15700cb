/**
 * Our name for an MCP tool: `<server>__<tool>`, limited to what model APIs accept as a function
 * name (letters, digits, _ and -, at most 64 characters).
 */
export function mcpToolName(server: string, tool: string): string {
  const clean = (text: string) => text.replace(/[^A-Za-z0-9_-]/g, "_");
  return `${clean(server)}__${clean(tool)}`.slice(0, 64);
}
