import { z } from "zod";
import { CodedError } from "../../errors.js";
import { previewOf, type Sink, webLabel } from "../../harness/labels.js";
import { defineTool, type Tool } from "../tool.js";
import { toReadable } from "./readable-content.js";
import type { SafeHttpClient } from "./safe-http-client.js";

export interface FetchUrlToolOptions {
  /** Built with `createSafeHttpClient` (address policy, size, time and redirect limits). */
  client: SafeHttpClient;
  /** For the whole call, reading and converting included; keep it above the client's time limit. */
  timeoutMs?: number;
  /** Characters shown to the model before the rest goes to an artifact. */
  outputLimit?: number;
}

export const fetchUrlInput = z.object({
  url: z
    .url({ protocol: /^https?$/, message: "must be an http:// or https:// URL" })
    .describe("The http(s) URL of the page, PDF or JSON document to read"),
});

export type FetchUrlInput = z.infer<typeof fetchUrlInput>;

export function createFetchUrlTool(options: FetchUrlToolOptions): Tool<FetchUrlInput> {
  const { client, timeoutMs = 30_000, outputLimit = 20_000 } = options;
  return defineTool<FetchUrlInput>({
    name: "fetch_url",
    description:
      "Read a public web page, PDF or JSON document by URL. Returns its title, final URL and text: the " +
      "main content of HTML pages as Markdown (navigation and ads removed), the text of PDFs, JSON " +
      "pretty-printed. Internal and private network addresses are not reachable. Use it to read a link " +
      "someone shared or a search result.",
    input: fetchUrlInput,
    risk: "read",
    timeoutMs,
    outputLimit,
    summarize: (input) => `Read ${input.url}`,
    // The host learns the whole URL: its path and query can carry whatever the run has read.
    sinks: (input) => [urlSink(input.url)],
    async execute(input, context) {
      const response = await client.get(input.url, { signal: context.signal });
      if (response.status < 200 || response.status > 299) {
        throw new CodedError(
          "web_fetch_failed",
          `${response.url} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`,
          { expected: true },
        );
      }
      const readable = await toReadable(response.body, response.headers, response.url);
      const lines = [`Title: ${readable.title ?? "(none)"}`, `URL: ${response.url}`];
      if (readable.byline) lines.push(`Byline: ${readable.byline}`);
      if (response.redirects.length > 0) lines.push(`Redirected from: ${response.redirects[0]}`);
      const text = readable.text === "" ? "(no readable text)" : readable.text;
      return { content: `${lines.join("\n")}\n\n${text}`, untrusted: true, label: webLabel };
    },
  });
}

/** A request to `url`: its host (and whoever it redirects to) receives the path and query. */
export function urlSink(url: string): Sink {
  let host = url;
  try {
    host = new URL(url).hostname;
  } catch {
    // Not a URL: the tool refuses it; the sink names it as given.
  }
  return { audience: { kind: "external", host }, names: [host], preview: previewOf(url) };
}
