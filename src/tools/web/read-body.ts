import type { IncomingMessage } from "node:http";
import { pipeline, type Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { CodedError } from "../../errors.js";

/**
 * Reads a response body, decompressed, and aborts as soon as it grows past `maxBytes` (counted after
 * decompression, so a small compressed bomb is cut off too). A declared Content-Length over the limit
 * is refused before anything is read.
 */
export async function readBody(
  response: IncomingMessage,
  maxBytes: number,
  signal: AbortSignal,
): Promise<Buffer> {
  signal.throwIfAborted();
  const declared = Number(response.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    throw tooLarge(maxBytes);
  }
  const body = decoded(response);
  const onAbort = () => body.destroy(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
  signal.addEventListener("abort", onAbort, { once: true });
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of body) {
      const buffer = chunk as Buffer;
      total += buffer.length;
      if (total > maxBytes) throw tooLarge(maxBytes);
      chunks.push(buffer);
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
    // Stops reading: a body over the limit, or one cut off by the deadline, is not drained.
    response.destroy();
  }
  return Buffer.concat(chunks);
}

function decoded(response: IncomingMessage): Readable {
  const encoding = (response.headers["content-encoding"] ?? "identity").trim().toLowerCase();
  const ignore = () => undefined; // errors surface through the returned stream
  switch (encoding) {
    case "identity":
    case "":
      return response;
    case "gzip":
    case "x-gzip":
      return pipeline(response, createGunzip(), ignore);
    case "deflate":
      return pipeline(response, createInflate(), ignore);
    case "br":
      return pipeline(response, createBrotliDecompress(), ignore);
    default:
      response.destroy();
      throw new CodedError(
        "web_unsupported_content",
        `the response uses an unsupported encoding (${encoding})`,
        {
          expected: true,
        },
      );
  }
}

function tooLarge(maxBytes: number): CodedError {
  return new CodedError(
    "web_response_too_large",
    `the response is larger than ${maxBytes} bytes; it was not read further`,
    { expected: true },
  );
}
