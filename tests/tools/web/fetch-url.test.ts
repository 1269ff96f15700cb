import type { ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAddressPolicy } from "../../../src/tools/web/address-policy.js";
import { createFetchUrlTool, fetchUrlInput } from "../../../src/tools/web/fetch-url.js";
import { createSafeHttpClient, type SafeHttpClientOptions } from "../../../src/tools/web/safe-http-client.js";
import { testContext } from "./support/context.js";
import { minimalPdf } from "./support/minimal-pdf.js";
import { codeOf } from "./support/outcome.js";
import { articleHtml, noiseMarkers } from "./support/pages.js";
import { startTestServer, type TestServer } from "./support/test-server.js";

const pdf = minimalPdf("Tidal Report 2024", [
  "Turbine output held at forty megawatts.",
  "Second array approved.",
]);
let server: TestServer;

/** Writes until the client hangs up, at most `limit` bytes: the body a size limit must cut off. */
async function stream(response: ServerResponse, limit: number): Promise<void> {
  const chunk = Buffer.alloc(64 * 1024, "a");
  let sent = 0;
  while (sent < limit && !response.destroyed) {
    sent += chunk.length;
    if (!response.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          response.off("drain", done);
          response.off("close", done);
          resolve();
        };
        response.on("drain", done);
        response.on("close", done);
      });
    }
  }
  response.end();
}

beforeAll(async () => {
  server = await startTestServer(async (request, response) => {
    const path = new URL(request.url ?? "/", "http://x").pathname;
    const redirect = /^\/r\/(\d+)$/.exec(path);
    if (redirect) {
      const left = Number(redirect[1]);
      response.writeHead(302, { location: left > 1 ? `/r/${left - 1}` : "/news/tidal" }).end();
      return;
    }
    switch (path) {
      case "/news/tidal":
        response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(articleHtml);
        return;
      case "/news/tidal.gz":
        response
          .writeHead(200, { "content-type": "text/html", "content-encoding": "gzip" })
          .end(gzipSync(articleHtml));
        return;
      case "/report.pdf":
        response.writeHead(200, { "content-type": "application/pdf" }).end(pdf);
        return;
      case "/download":
        response.writeHead(200, { "content-type": "application/octet-stream" }).end(pdf);
        return;
      case "/data.json":
        response
          .writeHead(200, { "content-type": "application/json" })
          .end('{"name":"turbine","output":{"mw":40}}');
        return;
      case "/notes.txt":
        response.writeHead(200, { "content-type": "text/plain" }).end("Line one.\n  Indented line two.\n");
        return;
      case "/latin1":
        response
          .writeHead(200, { "content-type": "text/plain; charset=iso-8859-1" })
          .end(Buffer.from("Caf\u00e9 cr\u00e8me", "latin1"));
        return;
      case "/image.png":
        response
          .writeHead(200, { "content-type": "image/png" })
          .end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]));
        return;
      case "/huge-declared":
        response.writeHead(200, { "content-type": "text/plain", "content-length": String(50_000_000) });
        await stream(response, 50_000_000);
        return;
      case "/huge-streamed":
        response.writeHead(200, { "content-type": "text/plain" });
        await stream(response, 20_000_000);
        return;
      case "/bomb":
        response
          .writeHead(200, { "content-type": "text/plain", "content-encoding": "gzip" })
          .end(gzipSync(Buffer.alloc(20_000_000, "z")));
        return;
      case "/slow-headers":
        return; // never answers
      case "/slow-body":
        response.writeHead(200, { "content-type": "text/plain" });
        response.write("The first part arrives, the rest never does.");
        return;
      default:
        response.writeHead(404, { "content-type": "text/plain" }).end("not here");
    }
  });
});

afterAll(async () => {
  await server.close();
});

function tool(options: Partial<SafeHttpClientOptions> = {}) {
  const client = createSafeHttpClient({
    policy: createAddressPolicy({ allowCidrs: ["127.0.0.1/32"] }),
    maxBytes: 1_000_000,
    timeoutMs: 5_000,
    maxRedirects: 3,
    ...options,
  });
  return createFetchUrlTool({ client });
}

const read = (url: string, options: Partial<SafeHttpClientOptions> = {}) =>
  tool(options).execute({ url }, testContext());

describe("fetch_url: content", () => {
  it("reduces an article page to its main content as Markdown, with title and URL", async () => {
    const result = await read(server.url("/news/tidal"));
    expect(result.untrusted).toBe(true);
    const [header, body] = result.content.split("\n\n", 2) as [string, string];
    expect(header).toContain("Title: Tidal Energy Breakthrough | The Harbor Gazette");
    expect(header).toContain(`URL: ${server.url("/news/tidal")}`);
    expect(header).toContain("Byline: By Jane Rivers");
    expect(body).toContain("produced a steady forty megawatts through a full lunar cycle");
    expect(result.content).toContain("## How the turbine works");
    expect(result.content).toContain(`[full technical report](${server.url("/reports/tidal-2024.pdf")})`);
    expect(result.content).toContain("Output: forty megawatts sustained");
    for (const marker of noiseMarkers) expect(result.content).not.toContain(marker);
  });

  it("decompresses a gzip-encoded page", async () => {
    const result = await read(server.url("/news/tidal.gz"));
    expect(result.content).toContain("## How the turbine works");
  });

  it("extracts the text and title of a PDF, by Content-Type or by its signature", async () => {
    for (const path of ["/report.pdf", "/download"]) {
      const result = await read(server.url(path));
      expect(result.content).toContain("Title: Tidal Report 2024");
      expect(result.content).toContain("Turbine output held at forty megawatts.");
      expect(result.content).toContain("Second array approved.");
    }
  });

  it("pretty-prints JSON", async () => {
    const result = await read(server.url("/data.json"));
    expect(result.content).toContain('{\n  "name": "turbine",\n  "output": {\n    "mw": 40\n  }\n}');
  });

  it("passes plain text through, decoded with its charset", async () => {
    expect((await read(server.url("/notes.txt"))).content).toContain("Line one.\n  Indented line two.");
    expect((await read(server.url("/latin1"))).content).toContain("Caf\u00e9 cr\u00e8me");
  });

  it("refuses binary content and reports HTTP errors", async () => {
    expect(await codeOf(read(server.url("/image.png")))).toBe("web_unsupported_content");
    expect(await codeOf(read(server.url("/missing")))).toBe("web_fetch_failed");
  });

  it("accepts only http(s) URLs as input", () => {
    expect(fetchUrlInput.safeParse({ url: "https://example.com/a" }).success).toBe(true);
    expect(fetchUrlInput.safeParse({ url: "file:///etc/passwd" }).success).toBe(false);
    expect(fetchUrlInput.safeParse({ url: "not a url" }).success).toBe(false);
  });
});

describe("fetch_url: limits", () => {
  it("follows a redirect chain within the limit and names where it started", async () => {
    const result = await read(server.url("/r/3"));
    expect(result.content).toContain(`URL: ${server.url("/news/tidal")}`);
    expect(result.content).toContain(`Redirected from: ${server.url("/r/3")}`);
    expect(result.content).toContain("forty megawatts");
  });

  it("stops a redirect chain longer than the limit", async () => {
    const before = server.requests.length;
    expect(await codeOf(read(server.url("/r/4")))).toBe("web_redirect_limit");
    // Four redirects answered; the fourth is not followed.
    expect(server.requests.slice(before).map((request) => request.path)).toEqual([
      "/r/4",
      "/r/3",
      "/r/2",
      "/r/1",
    ]);
  });

  it("refuses a body whose declared length is over the limit", async () => {
    expect(await codeOf(read(server.url("/huge-declared")))).toBe("web_response_too_large");
  });

  it("aborts a streamed body once it passes the limit", async () => {
    expect(await codeOf(read(server.url("/huge-streamed")))).toBe("web_response_too_large");
  });

  it("counts decompressed bytes, so a small compression bomb is cut off", async () => {
    expect(await codeOf(read(server.url("/bomb")))).toBe("web_response_too_large");
  });

  it("gives up on a server that never answers, and on a body that stalls", async () => {
    for (const path of ["/slow-headers", "/slow-body"]) {
      const started = Date.now();
      expect(await codeOf(read(server.url(path), { timeoutMs: 300 }))).toBe("web_timeout");
      expect(Date.now() - started).toBeLessThan(3_000);
    }
  });

  it("gives up on a resolver that never answers", async () => {
    const resolve = () => new Promise<string[]>(() => undefined);
    expect(await codeOf(read("http://hangs.test:8080/", { timeoutMs: 300, resolve }))).toBe("web_timeout");
  });

  it("stops when the run is cancelled", async () => {
    const controller = new AbortController();
    const pending = tool().execute({ url: server.url("/slow-headers") }, testContext(controller.signal));
    setTimeout(() => controller.abort(new Error("run cancelled")), 50);
    await expect(pending).rejects.toThrow("run cancelled");
  });
});
