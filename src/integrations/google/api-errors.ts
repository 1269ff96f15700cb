/**
 * What went wrong with a Google call, from the error googleapis (gaxios) throws. Google's JSON errors
 * carry `error.errors[].reason` (rateLimitExceeded, userRateLimitExceeded, insufficientPermissions,
 * ...); the token endpoint answers `{error: "invalid_grant"}` when a grant was revoked or expired.
 */
export type GoogleFailure =
  | { kind: "grant_invalid"; revoked: boolean; message: string }
  | { kind: "unauthorized"; message: string }
  | { kind: "insufficient_scopes"; message: string }
  | { kind: "rate_limited"; retryAfterMs: number | undefined; message: string }
  | { kind: "server"; status: number; message: string }
  | { kind: "not_found"; message: string }
  | { kind: "request"; status: number; message: string }
  | { kind: "network"; message: string };

interface ErrorShape {
  status?: number;
  code?: unknown;
  message?: string;
  response?: { status?: number; data?: unknown; headers?: unknown };
}

const rateLimitReasons = new Set(["rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded"]);

export function classifyGoogleError(error: unknown): GoogleFailure | undefined {
  if (!(error instanceof Error)) return undefined;
  const shape = error as ErrorShape;
  const data = shape.response?.data as
    | { error?: string | { message?: string; errors?: Array<{ reason?: string }>; status?: string } }
    | { error_description?: string }
    | undefined;
  const status = shape.response?.status ?? shape.status;
  const body = data && typeof data === "object" ? (data as Record<string, unknown>) : {};
  if (body.error === "invalid_grant") {
    const description = String(body.error_description ?? "");
    return { kind: "grant_invalid", revoked: /revoked/i.test(description), message: description };
  }
  if (error.message === "No refresh token is set.") {
    return { kind: "grant_invalid", revoked: false, message: error.message };
  }
  const apiError = typeof body.error === "object" && body.error !== null ? body.error : undefined;
  const reasons = (apiError as { errors?: Array<{ reason?: string }> } | undefined)?.errors?.map(
    (item) => item.reason ?? "",
  );
  const message = (apiError as { message?: string } | undefined)?.message ?? error.message;
  if (status === undefined) {
    // gaxios errors carry the request config; one without a response never reached Google.
    return !shape.response && "config" in error ? { kind: "network", message: error.message } : undefined;
  }
  if (status === 429 || (status === 403 && reasons?.some((reason) => rateLimitReasons.has(reason)))) {
    return { kind: "rate_limited", retryAfterMs: retryAfter(shape.response?.headers), message };
  }
  if (status === 401) return { kind: "unauthorized", message };
  if (
    status === 403 &&
    (reasons?.includes("insufficientPermissions") ||
      (apiError as { status?: string } | undefined)?.status === "PERMISSION_DENIED") &&
    /scope/i.test(message)
  ) {
    return { kind: "insufficient_scopes", message };
  }
  if (status === 404) return { kind: "not_found", message };
  if (status >= 500) return { kind: "server", status, message };
  return { kind: "request", status, message };
}

function retryAfter(headers: unknown): number | undefined {
  // gaxios gives a fetch Headers (from whichever fetch it uses) or, in older versions, a plain object.
  const value =
    typeof (headers as Headers | undefined)?.get === "function"
      ? (headers as Headers).get("retry-after")
      : (headers as Record<string, string> | undefined)?.["retry-after"];
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
