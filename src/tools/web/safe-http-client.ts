import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import { CodedError } from "../../errors.js";
import type { AddressPolicy } from "./address-policy.js";
import { type Connector, directConnector } from "./connector.js";
import { readBody } from "./read-body.js";
import { type Resolver, systemResolver } from "./resolver.js";

/**
 * HTTP(S) GET for URLs that come from outside (the model, messages). For the URL and every redirect
 * hop: the policy checks scheme, credentials and port; the host is resolved once; every address it
 * resolves to is validated; and the socket is opened to exactly the validated address (no second
 * lookup, so DNS rebinding cannot switch it). Redirects are followed by hand up to `maxRedirects`;
 * the body is cut off past `maxBytes`; the whole chain must finish within `timeoutMs`.
 */
export interface SafeHttpClientOptions {
  policy: AddressPolicy;
  resolve?: Resolver;
  connect?: Connector;
  /** Bytes of (decompressed) body read before giving up. Default 5 MB. */
  maxBytes?: number;
  /** For the whole request, redirects included. Default 20 s. */
  timeoutMs?: number;
  /** Default 5. */
  maxRedirects?: number;
  userAgent?: string;
  /** Sent as the Accept header. Default: readable formats first. */
  accept?: string;
}

export interface SafeResponse {
  /** The final URL, after redirects. */
  url: string;
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** URLs that answered with a redirect, in order. */
  redirects: string[];
}

export interface SafeHttpClient {
  get(url: string, options?: { signal?: AbortSignal }): Promise<SafeResponse>;
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

export function createSafeHttpClient(options: SafeHttpClientOptions): SafeHttpClient {
  const {
    policy,
    resolve = systemResolver,
    connect = directConnector,
    maxBytes = 5_000_000,
    timeoutMs = 20_000,
    maxRedirects = 5,
    userAgent = "coworker/0.1 (+fetch_url)",
    accept = "text/html,application/xhtml+xml,application/pdf,application/json,text/plain;q=0.9,*/*;q=0.8",
  } = options;

  async function open(url: URL, signal: AbortSignal): Promise<IncomingMessage> {
    policy.checkUrl(url);
    const hostname = policy.hostnameOf(url);
    const literal = policy.literalAddress(hostname);
    const addresses = literal !== undefined ? [literal] : await resolveHost(resolve, hostname, signal);
    const [target] = policy.validate(hostname, addresses);
    if (target === undefined) throw new CodedError("web_fetch_failed", `${hostname} has no address`);
    const secure = url.protocol === "https:";
    const port = url.port === "" ? (secure ? 443 : 80) : Number(url.port);
    signal.throwIfAborted();
    return new Promise<IncomingMessage>((resolveResponse, reject) => {
      const request = httpRequest({
        method: "GET",
        path: `${url.pathname}${url.search}`,
        setHost: false,
        headers: {
          host: url.host,
          "user-agent": userAgent,
          accept,
          "accept-encoding": "gzip, deflate, br",
        },
        createConnection: () => connect({ ...target, port, hostname, secure }),
        signal,
      });
      request.once("response", resolveResponse);
      request.once("error", reject);
      request.end();
    });
  }

  async function follow(start: URL, signal: AbortSignal): Promise<SafeResponse> {
    const redirects: string[] = [];
    let url = start;
    for (;;) {
      const response = await open(url, signal);
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (redirectStatuses.has(status) && location !== undefined) {
        response.destroy();
        redirects.push(url.href);
        if (redirects.length > maxRedirects) {
          const message = `more than ${maxRedirects} redirects, starting at ${start.href}`;
          throw new CodedError("web_redirect_limit", message, { expected: true });
        }
        url = parseUrl(location, url);
        continue;
      }
      const body = await readBody(response, maxBytes, signal);
      return {
        url: url.href,
        status,
        statusText: response.statusMessage ?? "",
        headers: response.headers,
        body,
        redirects,
      };
    }
  }

  return {
    async get(input, { signal } = {}) {
      const start = parseUrl(input);
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(), timeoutMs);
      const combined = signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
      try {
        return await follow(start, combined);
      } catch (error) {
        // Cancelled by the caller: surface its reason, not a generic abort.
        if (signal?.aborted) throw signal.reason ?? error;
        if (deadline.signal.aborted) {
          throw new CodedError("web_timeout", `${start.href} did not answer within ${timeoutMs / 1000} s`, {
            expected: true,
            cause: error,
          });
        }
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function parseUrl(text: string, base?: URL): URL {
  try {
    return new URL(text, base);
  } catch (error) {
    throw new CodedError("web_fetch_failed", `"${text}" is not a valid URL`, {
      expected: true,
      cause: error,
    });
  }
}

/** DNS cannot be cancelled, but the caller need not wait for it past the deadline. */
async function resolveHost(resolve: Resolver, hostname: string, signal: AbortSignal): Promise<string[]> {
  signal.throwIfAborted();
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([
      resolve(hostname).catch((error: unknown) => {
        throw new CodedError("web_fetch_failed", `${hostname} could not be resolved`, {
          expected: true,
          cause: error,
        });
      }),
      aborted,
    ]);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}
