import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

/** An MCP tool result as text for the model: text parts as they are, other parts described. */
export function resultText(result: CallToolResult): string {
  const parts = (result.content ?? []).map((item) => {
    switch (item.type) {
      case "text":
        return item.text;
      case "image":
      case "audio":
        return `[${item.type}: ${item.mimeType}, ${Math.floor((item.data.length * 3) / 4)} bytes]`;
      case "resource":
        return "text" in item.resource
          ? `[resource ${item.resource.uri}]\n${item.resource.text}`
          : `[resource ${item.resource.uri} (${item.resource.mimeType ?? "binary"})]`;
      case "resource_link":
        return `[link: ${item.name} ${item.uri}]`;
      default:
        return `[${(item as { type: string }).type} content]`;
    }
  });
  if (result.structuredContent && parts.length === 0)
    parts.push(JSON.stringify(result.structuredContent, null, 2));
  return parts.join("\n") || "(no content)";
}
