import { z } from "zod";
import { CodedError } from "../../errors.js";
import { htmlFragmentToText } from "./html-content.js";

/**
 * Brave Search web results (GET {baseUrl}/web/search?q=…, key in X-Subscription-Token). The base URL
 * is configurable so tests can point it at a local stand-in.
 */
export interface SearchResult {
  title: string;
  url: string;
  snippet: string;
}

export interface BraveSearchRequest {
  apiKey: string;
  baseUrl: string;
  query: string;
  count: number;
  signal: AbortSignal;
}

export const defaultBraveBaseUrl = "https://api.search.brave.com/res/v1";

const responseSchema = z.object({
  web: z
    .object({
      results: z
        .array(
          z.object({
            title: z.string().default(""),
            url: z.string(),
            description: z.string().default(""),
          }),
        )
        .default([]),
    })
    .optional(),
});

export async function searchBrave(request: BraveSearchRequest): Promise<SearchResult[]> {
  const url = new URL(`${request.baseUrl.replace(/\/+$/, "")}/web/search`);
  url.searchParams.set("q", request.query);
  url.searchParams.set("count", String(request.count));
  url.searchParams.set("text_decorations", "false");
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: "application/json", "x-subscription-token": request.apiKey },
      signal: request.signal,
    });
  } catch (error) {
    if (request.signal.aborted) throw error;
    throw new CodedError("web_search_failed", "the search service could not be reached", { cause: error });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw failure(response);
  }
  const parsed = responseSchema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) {
    throw new CodedError("web_search_failed", "the search service answered in an unexpected format", {
      cause: parsed.error,
    });
  }
  return (parsed.data.web?.results ?? []).slice(0, request.count).map((result) => ({
    title: htmlFragmentToText(result.title),
    url: result.url,
    snippet: htmlFragmentToText(result.description),
  }));
}

function failure(response: Response): CodedError {
  if (response.status === 401 || response.status === 403) {
    return new CodedError("web_search_failed", "the search API key was rejected", { expected: true });
  }
  if (response.status === 429) {
    const seconds = Number(response.headers.get("retry-after"));
    return new CodedError("web_search_failed", "the search service is rate limiting; try again later", {
      expected: true,
      retryAfterMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined,
    });
  }
  return new CodedError("web_search_failed", `the search service answered HTTP ${response.status}`);
}
