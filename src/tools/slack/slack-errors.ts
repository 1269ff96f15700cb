import { CodedError } from "../../errors.js";

/** The `error` of a Web API call that answered `ok: false` (e.g. "channel_not_found"), else undefined. */
export function platformError(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { code, data } = error as { code?: unknown; data?: { error?: unknown } };
  if (code !== "slack_webapi_platform_error") return undefined;
  return typeof data?.error === "string" ? data.error : undefined;
}

/** A refusal the model should read and act on (ask the person, pick another channel). */
export function accessDenied(message: string): CodedError {
  return new CodedError("forbidden", message, { expected: true });
}
