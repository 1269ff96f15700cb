import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { CodedError } from "../../src/errors.js";
import { classifyFailure, statusOf } from "../../src/harness/model/failures.js";

const context = { model: "m-1", baseUrl: "http://127.0.0.1:1/v1", now: () => 0 };

function httpError(sdk: "openai" | "anthropic", status: number, headers: Record<string, string> = {}) {
  const body = { error: { message: `provider says ${status}` } };
  return sdk === "openai"
    ? OpenAI.APIError.generate(status, body, undefined, new Headers(headers))
    : Anthropic.APIError.generate(status, body, undefined, new Headers(headers));
}

describe.each(["openai", "anthropic"] as const)("classifying %s SDK errors", (sdk) => {
  it("treats 408, 409, 429 and 5xx as transient, with the provider's wait", () => {
    for (const status of [408, 409, 429, 500, 503, 529]) {
      expect(classifyFailure(httpError(sdk, status), context).code).toBe("model_transient");
    }
    const limited = classifyFailure(httpError(sdk, 429, { "retry-after": "3" }), context);
    expect(limited.options.retryAfterMs).toBe(3000);
    expect(statusOf(limited)).toBe(429);
  });

  it("obeys x-should-retry either way", () => {
    expect(classifyFailure(httpError(sdk, 503, { "x-should-retry": "false" }), context).code).toBe(
      "model_permanent",
    );
    expect(classifyFailure(httpError(sdk, 400, { "x-should-retry": "true" }), context).code).toBe(
      "model_transient",
    );
  });

  it("explains permanent errors in words a person can act on", () => {
    const forbidden = classifyFailure(httpError(sdk, 403), context);
    expect(forbidden.code).toBe("model_permanent");
    expect(forbidden.expected).toBe(true);
    expect(forbidden.message).toMatch(/denied access to model "m-1" \(403\).*Check LLM_API_KEY/);
    expect(classifyFailure(httpError(sdk, 422), context).message).toMatch(/as invalid \(422\)/);
  });

  it("separates timeouts, broken connections and requests the SDK refused to send", () => {
    const Sdk = sdk === "openai" ? OpenAI : Anthropic;
    expect(classifyFailure(new Sdk.APIConnectionTimeoutError(), context).code).toBe("model_timeout");
    const reset = classifyFailure(
      new Sdk.APIConnectionError({ cause: new Error("read ECONNRESET") }),
      context,
    );
    expect(reset.code).toBe("model_transient");
    expect(reset.message).toMatch(
      /Could not reach the model provider at http:\/\/127.0.0.1:1\/v1.*ECONNRESET/,
    );
    const refused =
      sdk === "openai" ? new OpenAI.OpenAIError("bad option") : new Anthropic.AnthropicError("bad");
    expect(classifyFailure(refused, context).code).toBe("model_permanent");
  });
});

describe("classifying other errors", () => {
  it("treats a body cut off mid-answer as transient and passes coded errors through", () => {
    expect(classifyFailure(new TypeError("terminated"), context).code).toBe("model_transient");
    const coded = new CodedError("run_cancelled", "stop");
    expect(classifyFailure(coded, context)).toBe(coded);
  });
});
