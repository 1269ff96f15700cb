import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { CodedError, errorMessage, isCodedError } from "../../errors.js";
import { retryAfterMilliseconds } from "./retry-after.js";

/**
 * Turns whatever an SDK call threw into one of our coded errors, so the retry policy only has to look
 * at codes: `model_transient` and `model_timeout` may be retried, `model_permanent` never is.
 * Both official SDKs raise errors with a numeric `status` and the response `headers`; connection
 * failures have no status. What counts as transient follows the SDKs' own rules.
 */
export interface FailureContext {
  /** The model name that was asked (for messages people read). */
  model: string;
  /** Where the request went, for connection errors. */
  baseUrl: string;
  now: () => number;
}

const detailLimit = 300;

// The SDKs' own classes (their `name` is not reliable: OpenAI's errors are all named "Error").
const timeoutErrors = [OpenAI.APIConnectionTimeoutError, Anthropic.APIConnectionTimeoutError];
const connectionErrors = [OpenAI.APIConnectionError, Anthropic.APIConnectionError];
const clientErrors = [OpenAI.OpenAIError, Anthropic.AnthropicError];

function isAny(error: unknown, classes: Array<abstract new (...args: never[]) => unknown>): boolean {
  return classes.some((errorClass) => error instanceof errorClass);
}

export function classifyFailure(error: unknown, context: FailureContext): CodedError {
  if (isCodedError(error)) return error;
  const status = statusOf(error);
  if (status === undefined) return connectionFailure(error, context);
  const headers = headersOf(error);
  const detail = clip(errorMessage(error));
  if (isTransientStatus(status, headers)) {
    return new CodedError("model_transient", `The model provider answered ${status}: ${detail}`, {
      cause: error,
      retryAfterMs: retryAfterMilliseconds(headers, context.now),
    });
  }
  return new CodedError("model_permanent", permanentMessage(status, detail, context.model), {
    expected: true,
    cause: error,
  });
}

/** The HTTP status carried by an SDK error, if the provider answered at all. */
export function statusOf(error: unknown): number | undefined {
  const candidate = error instanceof CodedError ? error.options.cause : error;
  if (typeof candidate !== "object" || candidate === null || !("status" in candidate)) return undefined;
  return typeof candidate.status === "number" ? candidate.status : undefined;
}

function headersOf(error: unknown): Headers | undefined {
  if (typeof error !== "object" || error === null || !("headers" in error)) return undefined;
  return error.headers instanceof Headers ? error.headers : undefined;
}

function isTransientStatus(status: number, headers: Headers | undefined): boolean {
  const hint = headers?.get("x-should-retry");
  if (hint === "true") return true;
  if (hint === "false") return false;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

function permanentMessage(status: number, detail: string, model: string): string {
  switch (status) {
    case 401:
      return "The model provider rejected the API key (401). Check LLM_API_KEY.";
    case 403:
      return `The model provider denied access to model "${model}" (403): ${detail}. Check LLM_API_KEY and the account's permissions.`;
    case 404:
      return `The model provider does not know model "${model}" (404). Check LLM_MODEL and LLM_BASE_URL.`;
    case 400:
    case 413:
    case 422:
      return `The model provider rejected the request to "${model}" as invalid (${status}): ${detail}`;
    default:
      return `The model provider refused the request to "${model}" (${status}): ${detail}`;
  }
}

/**
 * No HTTP status: a timeout, a connection that failed or broke mid-answer (transient), or the SDK
 * refusing to send the request at all (permanent: retrying cannot help).
 */
function connectionFailure(error: unknown, context: FailureContext): CodedError {
  if (isAny(error, timeoutErrors)) {
    return new CodedError("model_timeout", `The model "${context.model}" did not answer in time.`, {
      cause: error,
    });
  }
  const cause = error instanceof Error && error.cause !== undefined ? ` (${errorMessage(error.cause)})` : "";
  if (isAny(error, clientErrors) && !isAny(error, connectionErrors)) {
    return new CodedError(
      "model_permanent",
      `The model client could not send the request to "${context.model}": ${clip(errorMessage(error))}`,
      { expected: true, cause: error },
    );
  }
  return new CodedError(
    "model_transient",
    `Could not reach the model provider at ${context.baseUrl}: ${clip(errorMessage(error))}${cause}`,
    { cause: error },
  );
}

function clip(text: string): string {
  return text.length > detailLimit ? `${text.slice(0, detailLimit)}…` : text;
}
