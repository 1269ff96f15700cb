import { z } from "zod";
import { previewOf, webLabel } from "../../harness/labels.js";
import { defineTool, type Tool } from "../tool.js";
import { defaultBraveBaseUrl, type SearchResult, searchBrave } from "./brave-search.js";

export interface WebSearchToolOptions {
  /** The Brave Search API key; without one there is no web_search tool. */
  apiKey: string | undefined;
  /** Default https://api.search.brave.com/res/v1 (tests point it at a local server). */
  baseUrl?: string;
  /** Per call. Default 15 s. */
  timeoutMs?: number;
}

export const webSearchInput = z.object({
  query: z.string().trim().min(1).max(400).describe("What to search the web for, as you would type it"),
  count: z.number().int().min(1).max(10).default(5).describe("How many results to return (1-10, default 5)"),
});

export type WebSearchInput = z.infer<typeof webSearchInput>;

/** The web_search tool, or undefined when no search API key is configured. */
export function createWebSearchTool(options: WebSearchToolOptions): Tool<WebSearchInput> | undefined {
  const { apiKey, baseUrl = defaultBraveBaseUrl, timeoutMs = 15_000 } = options;
  if (!apiKey) return undefined;
  return defineTool<WebSearchInput>({
    name: "web_search",
    description:
      "Search the web. Returns a short list of results, each with title, URL and snippet. Use fetch_url " +
      "on a result's URL to read it.",
    input: webSearchInput,
    risk: "read",
    timeoutMs,
    outputLimit: 10_000,
    summarize: (input) => `Search the web for "${input.query}"`,
    // The search provider receives the query.
    sinks: (input) => {
      const host = searchHost(baseUrl);
      return [{ audience: { kind: "external", host }, names: [host], preview: previewOf(input.query) }];
    },
    async execute(input, context) {
      const results = await searchBrave({
        apiKey,
        baseUrl,
        query: input.query,
        count: input.count,
        signal: context.signal,
      });
      return { content: formatResults(input.query, results), untrusted: true, label: webLabel };
    },
  });
}

function formatResults(query: string, results: SearchResult[]): string {
  if (results.length === 0) return `No results for "${query}".`;
  return results
    .map((result, index) => {
      const lines = [`${index + 1}. ${result.title || "(untitled)"}`, `   ${result.url}`];
      if (result.snippet) lines.push(`   ${result.snippet}`);
      return lines.join("\n");
    })
    .join("\n\n");
}

function searchHost(baseUrl: string): string {
  try {
    return new URL(baseUrl).hostname;
  } catch {
    return baseUrl;
  }
}
