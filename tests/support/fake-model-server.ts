import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A real HTTP server on 127.0.0.1 speaking just enough of two model APIs for our adapters:
 * POST /v1/chat/completions (OpenAI Chat Completions) and POST /v1/messages (Anthropic Messages),
 * both non-streaming. `reply` decides each answer: text and/or tool calls, or a fault (an HTTP error
 * with optional Retry-After, a request that never answers, a dropped connection). Every request body
 * is recorded, parsed and raw, so tests can assert exactly what a model was sent.
 */
export type FakeApi = "openai" | "anthropic";

export interface FakeToolCall {
  /** Defaults to `call_<request index>_<call index>`. */
  id?: string;
  name: string;
  arguments: string | Record<string, unknown>;
}

export interface FakeAnswer {
  text?: string;
  toolCalls?: FakeToolCall[];
  /** Defaults: input = request bytes / 4, output = answer characters / 4, nothing cached. */
  usage?: { inputTokens?: number; outputTokens?: number; cachedTokens?: number; cacheWriteTokens?: number };
  /** The provider's raw finish/stop reason; derived from the answer when left out. */
  finishReason?: string;
  /** Answer after this long (still cut short when the client goes away). */
  delayMs?: number;
}

export type FakeFault =
  | {
      status: number;
      /** Sent as `retry-after`: seconds, or an HTTP date string. */
      retryAfter?: number | string;
      /** Sent as `retry-after-ms`. */
      retryAfterMs?: number;
      message?: string;
      headers?: Record<string, string>;
    }
  | { hang: true }
  /** Sends a 200 and the start of a body, then nothing more (a stall after the headers). */
  | { stall: true }
  | { drop: true };

export type FakeReply = FakeAnswer | FakeFault;

/** The JSON body a client sent; the shape depends on `api`. */
export interface FakeRequestBody {
  model: string;
  messages: Array<{ role: string; content?: unknown; [key: string]: unknown }>;
  [key: string]: unknown;
}

export interface FakeCall {
  /** 0-based, in arrival order across the whole server. */
  index: number;
  api: FakeApi;
  path: string;
  headers: IncomingHttpHeaders;
}

export interface RecordedRequest extends FakeCall {
  body: FakeRequestBody;
  /** The exact bytes of the body, as text. */
  raw: string;
}

export interface FakeModelServer {
  /** Base URL including `/v1`. */
  url: string;
  requests: RecordedRequest[];
  /** Errors thrown by the `reply` function (answered with a 500); tests can assert it stays empty. */
  errors: unknown[];
  close(): Promise<void>;
}

export interface FakeModelServerOptions {
  reply: (body: FakeRequestBody, call: FakeCall) => FakeReply | Promise<FakeReply>;
  /** Set false for long benchmarks: `requests` then stays empty (call indexes still count up). */
  record?: boolean;
}

const routes: Record<string, FakeApi> = { "/v1/chat/completions": "openai", "/v1/messages": "anthropic" };

export async function startFakeModelServer(options: FakeModelServerOptions): Promise<FakeModelServer> {
  const requests: RecordedRequest[] = [];
  const errors: unknown[] = [];
  let count = 0;
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.destroyed) return; // the client went away mid-request: not a server error
      errors.push(error);
      if (!response.headersSent) sendJson(response, 500, { error: String(error) });
    });
  });
  server.keepAliveTimeout = 30_000;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = await readBody(request);
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    const api = routes[path];
    if (request.method !== "POST" || api === undefined) {
      sendJson(response, 404, { error: { message: `No route for ${request.method} ${path}` } });
      return;
    }
    let body: FakeRequestBody;
    try {
      body = JSON.parse(raw) as FakeRequestBody;
    } catch {
      sendJson(response, 400, errorBody(api, 400, "The request body is not JSON."));
      return;
    }
    const call: FakeCall = { index: count++, api, path, headers: request.headers };
    if (options.record !== false) requests.push({ ...call, body, raw });
    let reply: FakeReply;
    try {
      reply = await options.reply(body, call);
    } catch (error) {
      errors.push(error);
      sendJson(response, 500, errorBody(api, 500, `fake model server: reply threw: ${String(error)}`));
      return;
    }
    await answer(response, api, body, raw, call, reply);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    errors,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function answer(
  response: ServerResponse,
  api: FakeApi,
  body: FakeRequestBody,
  raw: string,
  call: FakeCall,
  reply: FakeReply,
): Promise<void> {
  if ("hang" in reply) return; // Never answers; the socket closes when the client aborts or the server closes.
  if ("stall" in reply) {
    response.writeHead(200, { "content-type": "application/json" });
    response.write('{"id":');
    return;
  }
  if ("drop" in reply) {
    response.socket?.destroy();
    return;
  }
  if ("status" in reply) {
    const headers: Record<string, string> = { ...reply.headers };
    if (reply.retryAfter !== undefined) headers["retry-after"] = String(reply.retryAfter);
    if (reply.retryAfterMs !== undefined) headers["retry-after-ms"] = String(reply.retryAfterMs);
    sendJson(response, reply.status, errorBody(api, reply.status, reply.message), headers);
    return;
  }
  if (reply.delayMs !== undefined && !(await wait(reply.delayMs, response))) return;
  const toolCalls = (reply.toolCalls ?? []).map((toolCall, position) => ({
    id: toolCall.id ?? `call_${call.index}_${position}`,
    name: toolCall.name,
    arguments:
      typeof toolCall.arguments === "string" ? toolCall.arguments : JSON.stringify(toolCall.arguments),
  }));
  const text = reply.text ?? "";
  const usage = {
    inputTokens: reply.usage?.inputTokens ?? Math.ceil(raw.length / 4),
    outputTokens:
      reply.usage?.outputTokens ??
      Math.ceil((text + toolCalls.map((toolCall) => toolCall.arguments).join("")).length / 4),
    cachedTokens: reply.usage?.cachedTokens ?? 0,
    cacheWriteTokens: reply.usage?.cacheWriteTokens ?? 0,
  };
  const answerBody =
    api === "openai"
      ? {
          id: `chatcmpl-fake-${call.index}`,
          object: "chat.completion",
          created: 0,
          model: body.model,
          choices: [
            {
              index: 0,
              message: {
                role: "assistant",
                content: text === "" && toolCalls.length > 0 ? null : text,
                refusal: null,
                ...(toolCalls.length > 0 && {
                  tool_calls: toolCalls.map((toolCall) => ({
                    id: toolCall.id,
                    type: "function",
                    function: { name: toolCall.name, arguments: toolCall.arguments },
                  })),
                }),
              },
              logprobs: null,
              finish_reason: reply.finishReason ?? (toolCalls.length > 0 ? "tool_calls" : "stop"),
            },
          ],
          usage: {
            prompt_tokens: usage.inputTokens,
            completion_tokens: usage.outputTokens,
            total_tokens: usage.inputTokens + usage.outputTokens,
            prompt_tokens_details: { cached_tokens: usage.cachedTokens },
          },
        }
      : {
          id: `msg_fake_${call.index}`,
          type: "message",
          role: "assistant",
          model: body.model,
          content: [
            ...(text === "" ? [] : [{ type: "text", text }]),
            ...toolCalls.map((toolCall) => ({
              type: "tool_use",
              id: toolCall.id,
              name: toolCall.name,
              input: parseObject(toolCall.arguments),
            })),
          ],
          stop_reason: reply.finishReason ?? (toolCalls.length > 0 ? "tool_use" : "end_turn"),
          stop_sequence: null,
          usage: {
            // Anthropic's input_tokens excludes what was read from or written to the cache.
            input_tokens: usage.inputTokens - usage.cachedTokens - usage.cacheWriteTokens,
            output_tokens: usage.outputTokens,
            cache_read_input_tokens: usage.cachedTokens,
            cache_creation_input_tokens: usage.cacheWriteTokens,
          },
        };
  sendJson(response, 200, answerBody);
}

function parseObject(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { invalidArguments: text };
  }
}

const anthropicErrorTypes: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  529: "overloaded_error",
};

function errorBody(api: FakeApi, status: number, message = `fake error ${status}`): unknown {
  if (api === "anthropic") {
    return { type: "error", error: { type: anthropicErrorTypes[status] ?? "api_error", message } };
  }
  const type =
    status >= 500 ? "server_error" : status === 429 ? "rate_limit_exceeded" : "invalid_request_error";
  return { error: { message, type, code: null, param: null } };
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  if (response.destroyed) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Resolves true after `milliseconds`, or false as soon as the client goes away. */
function wait(milliseconds: number, response: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      response.off("close", onClose);
      resolve(true);
    }, milliseconds);
    response.once("close", onClose);
  });
}
