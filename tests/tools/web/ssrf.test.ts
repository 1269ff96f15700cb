import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAddressPolicy } from "../../../src/tools/web/address-policy.js";
import { type ConnectTarget, directConnector } from "../../../src/tools/web/connector.js";
import type { Resolver } from "../../../src/tools/web/resolver.js";
import { createSafeHttpClient, type SafeHttpClientOptions } from "../../../src/tools/web/safe-http-client.js";
import { recordingConnector } from "./support/connectors.js";
import { codeOf } from "./support/outcome.js";
import { startTestServer, type TestServer } from "./support/test-server.js";

/** A public address that stands for "the internet": the recording connector routes it to the local server. */
const publicAddress = "93.184.216.34";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer((request, response) => {
    const redirect = new URL(request.url ?? "/", "http://x").searchParams.get("to");
    if (redirect) {
      response.writeHead(302, { location: redirect }).end();
      return;
    }
    response.writeHead(200, { "content-type": "text/plain" }).end(`reached ${request.headers.host}`);
  });
});

afterAll(async () => {
  await server.close();
});

function client(options: Partial<SafeHttpClientOptions> & { dialed: ConnectTarget[] }) {
  const { dialed, ...rest } = options;
  return createSafeHttpClient({
    policy: createAddressPolicy(),
    connect: recordingConnector(dialed),
    timeoutMs: 5_000,
    ...rest,
  });
}

describe("SSRF: loopback", () => {
  it("refuses the local server without the allowlist, and reaches it with it", async () => {
    const before = server.requests.length;
    const dialed: ConnectTarget[] = [];
    expect(await codeOf(client({ dialed }).get(server.url("/")))).toBe("web_address_refused");
    expect(dialed).toEqual([]);
    expect(server.requests.length).toBe(before);

    const open = client({ dialed, policy: createAddressPolicy({ allowCidrs: ["127.0.0.1/32"] }) });
    const response = await open.get(server.url("/"));
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe(`reached 127.0.0.1:${server.port}`);
  });

  it("refuses localhost resolved by the system resolver", async () => {
    const dialed: ConnectTarget[] = [];
    expect(await codeOf(client({ dialed }).get(`http://localhost:${server.port}/`))).toBe(
      "web_address_refused",
    );
    expect(dialed).toEqual([]);
  });
});

describe("SSRF: every notation of an internal address", () => {
  const port = () => server.port;
  it.each([
    ["decimal", "2130706433"],
    ["hex, short", "0x7f.1"],
    ["octal", "0177.0.0.1"],
    ["hex, whole", "0x7f000001"],
    ["octal, whole", "017700000001"],
    ["short dotted", "127.1"],
    ["zero", "0"],
    ["hex zero", "0x0"],
    ["IPv6 loopback", "[::1]"],
    ["IPv6 loopback, long", "[0:0:0:0:0:0:0:1]"],
    ["IPv6 unspecified", "[::]"],
    ["IPv4-mapped", "[::ffff:127.0.0.1]"],
    ["IPv4-mapped, hex", "[::ffff:7f00:1]"],
    ["NAT64", "[64:ff9b::127.0.0.1]"],
    ["6to4", "[2002:7f00:1::]"],
    ["metadata, dotted", "169.254.169.254"],
    ["metadata, decimal", "2852039166"],
    ["metadata, hex", "0xa9.0xfe.0xa9.0xfe"],
    ["metadata, octal", "0251.0376.0251.0376"],
    ["private, short", "10.1"],
    ["private, hex", "0xa.0.0.1"],
    ["private 192.168", "192.168.0.1"],
    ["CGNAT", "100.64.0.1"],
  ])("refuses %s (%s) without connecting", async (_name, host) => {
    const before = server.requests.length;
    const dialed: ConnectTarget[] = [];
    expect(await codeOf(client({ dialed }).get(`http://${host}:${port()}/`))).toBe("web_address_refused");
    expect(dialed).toEqual([]);
    expect(server.requests.length).toBe(before);
  });
});

describe("SSRF: redirects", () => {
  const open = () => createAddressPolicy({ allowCidrs: ["127.0.0.1/32"] });

  it.each([
    ["a private address", "http://10.0.0.1:8080/"],
    ["cloud metadata", "http://169.254.169.254/latest/meta-data/"],
    ["metadata in decimal", "http://2852039166/latest/meta-data/"],
    ["IPv6 loopback", "http://[::1]:8080/"],
    ["loopback outside the allowlist", "http://0x7f000002:8080/"],
    ["a file", "file:///etc/passwd"],
    ["a URL with credentials", "http://user:secret@93.184.216.34:8080/"],
    ["a mail port", "http://93.184.216.34:25/"],
  ])("refuses a redirect from an allowed host to %s", async (_name, target) => {
    const dialed: ConnectTarget[] = [];
    const start = server.url(`/start?to=${encodeURIComponent(target)}`);
    expect(await codeOf(client({ dialed, policy: open() }).get(start))).toBe("web_address_refused");
    expect(dialed.map((target) => target.address)).toEqual(["127.0.0.1"]);
  });

  it("refuses a hop whose name resolves to a private address", async () => {
    const dialed: ConnectTarget[] = [];
    const resolve: Resolver = async (hostname) => (hostname === "internal.test" ? ["192.168.1.10"] : []);
    const start = server.url(`/start?to=${encodeURIComponent("http://internal.test:8080/admin")}`);
    expect(await codeOf(client({ dialed, resolve, policy: open() }).get(start))).toBe("web_address_refused");
    expect(dialed.map((target) => target.address)).toEqual(["127.0.0.1"]);
  });
});

describe("SSRF: DNS answers", () => {
  it("refuses a name with several addresses when one of them is private", async () => {
    const dialed: ConnectTarget[] = [];
    const resolve: Resolver = async () => [publicAddress, "10.0.0.5"];
    expect(await codeOf(client({ dialed, resolve }).get("http://mixed.test:8080/"))).toBe(
      "web_address_refused",
    );
    expect(dialed).toEqual([]);
  });

  it("pins the validated address: a rebinding resolver never gets the connection to loopback", async () => {
    const answers = [[publicAddress], ["127.0.0.1"]];
    const lookups: string[] = [];
    const resolve: Resolver = async (hostname) => {
      lookups.push(hostname);
      return answers[Math.min(lookups.length - 1, answers.length - 1)] ?? [];
    };
    const dialed: ConnectTarget[] = [];
    const connect = recordingConnector(dialed, { [publicAddress]: server.port });
    const before = server.requests.length;

    const response = await client({ dialed, resolve, connect }).get("http://rebind.test:8080/page");

    expect(lookups).toEqual(["rebind.test"]);
    expect(dialed.map((target) => [target.address, target.hostname])).toEqual([
      [publicAddress, "rebind.test"],
    ]);
    expect(response.body.toString()).toBe("reached rebind.test:8080");
    expect(server.requests.slice(before).map((request) => request.host)).toEqual(["rebind.test:8080"]);
  });

  it("resolves each redirect hop again and refuses it when the name now points at loopback", async () => {
    const answers = [[publicAddress], ["127.0.0.1"]];
    let lookups = 0;
    const resolve: Resolver = async () => answers[Math.min(lookups++, answers.length - 1)] ?? [];
    const dialed: ConnectTarget[] = [];
    const connect = recordingConnector(dialed, { [publicAddress]: server.port });
    const start = `http://rebind.test:8080/start?to=${encodeURIComponent("http://rebind.test:8080/secret")}`;

    expect(await codeOf(client({ dialed, resolve, connect }).get(start))).toBe("web_address_refused");
    expect(lookups).toBe(2);
    expect(dialed.map((target) => target.address)).toEqual([publicAddress]);
  });

  it("the real connector dials the validated address itself, with no lookup of its own", async () => {
    // "pinned.test" exists in no DNS: the request can only succeed if the socket goes to the address
    // the injected resolver gave and the policy validated.
    const lookups: string[] = [];
    const resolve: Resolver = async (hostname) => {
      lookups.push(hostname);
      return ["127.0.0.1"];
    };
    const pinned = createSafeHttpClient({
      policy: createAddressPolicy({ allowCidrs: ["127.0.0.1/32"] }),
      resolve,
      connect: directConnector,
    });
    const response = await pinned.get(`http://pinned.test:${server.port}/`);
    expect(response.body.toString()).toBe(`reached pinned.test:${server.port}`);
    expect(lookups).toEqual(["pinned.test"]);
  });
});
