import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CodedError, isCodedError } from "../../../src/errors.js";
import { createWebSearchTool, webSearchInput } from "../../../src/tools/web/web-search.js";
import { testContext } from "./support/context.js";
import { startTestServer, type TestServer } from "./support/test-server.js";

const apiKey = "brave-test-key";
let server: TestServer;

beforeAll(async () => {
  // A stand-in for the Brave Search API: same path, header and response shape.
  server = await startTestServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://x");
    if (url.pathname !== "/res/v1/web/search") {
      response.writeHead(404).end();
      return;
    }
    if (request.headers["x-subscription-token"] !== apiKey) {
      response.writeHead(401, { "content-type": "application/json" }).end('{"error":"unauthorized"}');
      return;
    }
    const query = url.searchParams.get("q");
    if (query === "rate limited") {
      response.writeHead(429, { "retry-after": "7" }).end();
      return;
    }
    if (query === "nothing") {
      response.writeHead(200, { "content-type": "application/json" }).end('{"type":"search"}');
      return;
    }
    const count = Number(url.searchParams.get("count"));
    const results = Array.from({ length: 12 }, (_, index) => ({
      title: `Tidal power &amp; the grid, part ${index + 1}`,
      url: `https://example.org/tidal/${index + 1}`,
      description: `How <strong>tidal</strong> turbines feed the grid (${index + 1}).`,
      extra_snippets: ["ignored"],
    })).slice(0, count);
    response
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ type: "search", query: { original: query }, web: { type: "search", results } }));
  });
});

afterAll(async () => {
  await server.close();
});

const search = (query: string, count?: number, key = apiKey) => {
  const tool = createWebSearchTool({ apiKey: key, baseUrl: server.url("/res/v1/") });
  if (!tool) throw new Error("expected a web_search tool");
  return tool.execute(webSearchInput.parse({ query, count }), testContext());
};

describe("web_search", () => {
  it("is absent when no API key is configured", () => {
    expect(createWebSearchTool({ apiKey: undefined })).toBeUndefined();
    expect(createWebSearchTool({ apiKey: "" })).toBeUndefined();
    expect(createWebSearchTool({ apiKey: "k" })?.name).toBe("web_search");
  });

  it("returns a short numbered list of title, URL and snippet", async () => {
    const before = server.requests.length;
    const result = await search("tidal power", 2);
    expect(result.untrusted).toBe(true);
    expect(result.content).toBe(
      "1. Tidal power & the grid, part 1\n   https://example.org/tidal/1\n   How tidal turbines feed the grid (1).\n\n" +
        "2. Tidal power & the grid, part 2\n   https://example.org/tidal/2\n   How tidal turbines feed the grid (2).",
    );
    const [request] = server.requests.slice(before);
    const sent = new URL(request?.path ?? "", "http://x");
    expect(sent.searchParams.get("q")).toBe("tidal power");
    expect(sent.searchParams.get("count")).toBe("2");
    expect(request?.headers["x-subscription-token"]).toBe(apiKey);
  });

  it("asks for five results unless told otherwise, and never more than ten", async () => {
    const result = await search("tidal power");
    expect(result.content.match(/^\d+\. /gm)).toHaveLength(5);
    expect(webSearchInput.safeParse({ query: "x", count: 11 }).success).toBe(false);
    expect(webSearchInput.safeParse({ query: "  " }).success).toBe(false);
  });

  it("says so when there are no results", async () => {
    expect((await search("nothing")).content).toBe('No results for "nothing".');
  });

  it("explains a rejected key and passes on rate limiting", async () => {
    const rejected = await search("tidal power", 3, "wrong-key").catch((error: unknown) => error);
    expect(isCodedError(rejected, "web_search_failed")).toBe(true);
    expect((rejected as CodedError).message).toContain("API key was rejected");

    const limited = await search("rate limited").catch((error: unknown) => error);
    expect(isCodedError(limited, "web_search_failed")).toBe(true);
    expect((limited as CodedError).options.retryAfterMs).toBe(7_000);
    expect(limited).toBeInstanceOf(CodedError);
  });
});
