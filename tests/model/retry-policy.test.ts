import { describe, expect, it } from "vitest";
import { CodedError } from "../../src/errors.js";
import { backoffDelay, retryDelay } from "../../src/harness/model/retry.js";
import { retryAfterMilliseconds } from "../../src/harness/model/retry-after.js";

const now = () => Date.UTC(2030, 5, 1, 8, 0, 0);

describe("Retry-After", () => {
  it("reads seconds, fractional seconds, milliseconds and HTTP dates", () => {
    expect(retryAfterMilliseconds(new Headers({ "retry-after": "2" }), now)).toBe(2000);
    expect(retryAfterMilliseconds(new Headers({ "retry-after": "0.25" }), now)).toBe(250);
    expect(retryAfterMilliseconds(new Headers({ "retry-after-ms": "1234" }), now)).toBe(1234);
    const date = new Date(now() + 7000).toUTCString();
    expect(retryAfterMilliseconds(new Headers({ "retry-after": date }), now)).toBe(7000);
  });

  it("prefers retry-after-ms, never goes negative, ignores nonsense", () => {
    expect(retryAfterMilliseconds(new Headers({ "retry-after-ms": "500", "retry-after": "9" }), now)).toBe(
      500,
    );
    const past = new Date(now() - 60_000).toUTCString();
    expect(retryAfterMilliseconds(new Headers({ "retry-after": past }), now)).toBe(0);
    expect(retryAfterMilliseconds(new Headers({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(retryAfterMilliseconds(new Headers(), now)).toBeUndefined();
    expect(retryAfterMilliseconds(undefined, now)).toBeUndefined();
  });
});

describe("backoff", () => {
  it("doubles each retry, half fixed and half random, up to the cap", () => {
    const low = { maxRetries: 9, random: () => 0 };
    const high = { maxRetries: 9, random: () => 0.999_999 };
    expect([1, 2, 3, 4].map((retry) => backoffDelay(retry, low))).toEqual([250, 500, 1000, 2000]);
    expect([1, 2, 3, 4].map((retry) => backoffDelay(retry, high))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelay(20, { maxRetries: 20, random: () => 0, maxDelayMs: 8000 })).toBe(4000);
    expect(backoffDelay(1, { maxRetries: 1, random: () => 0.5, baseDelayMs: 100 })).toBe(75);
  });

  it("uses the provider's wait when given, unless it exceeds the limit", () => {
    const policy = { maxRetries: 3, random: () => 0.5, maxRetryAfterMs: 10_000 };
    const withWait = (milliseconds: number) =>
      new CodedError("model_transient", "rate limited", { retryAfterMs: milliseconds });
    expect(retryDelay(withWait(4000), 1, policy)).toBe(4000);
    expect(retryDelay(withWait(0), 1, policy)).toBe(0);
    expect(retryDelay(withWait(10_001), 1, policy)).toBeUndefined();
    expect(retryDelay(new CodedError("model_transient", "reset"), 2, policy)).toBe(750);
  });
});
