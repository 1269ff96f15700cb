/**
 * Typed errors with codes. `expected` errors are the user's or the environment's doing (bad input,
 * permission, a permanent model error): they are explained in the thread, not reported as incidents.
 */
export type ErrorCode =
  | "config_invalid"
  | "model_not_configured"
  | "model_transient"
  | "model_permanent"
  | "model_timeout"
  | "tool_invalid_input"
  | "tool_unknown"
  | "tool_timeout"
  | "tool_failed"
  | "tool_denied"
  | "run_cancelled"
  | "run_not_found"
  | "approval_invalid"
  | "approval_forbidden"
  | "schedule_invalid"
  | "forbidden"
  | "not_found"
  | "slack_api"
  | "slack_not_installed"
  | "slack_install_unsupported"
  | "emulator_misuse"
  | "emulator_timeout"
  | "local_service_unavailable"
  | "sandbox_unavailable"
  | "sandbox_invalid_task"
  | "web_address_refused"
  | "web_fetch_failed"
  | "web_redirect_limit"
  | "web_response_too_large"
  | "web_timeout"
  | "web_unsupported_content"
  | "web_search_failed";

export class CodedError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: { expected?: boolean; cause?: unknown; retryAfterMs?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "CodedError";
  }

  get expected(): boolean {
    return this.options.expected ?? false;
  }
}

export function isCodedError(error: unknown, code?: ErrorCode): error is CodedError {
  return (
    error instanceof Error &&
    error.name === "CodedError" &&
    "code" in error &&
    (code === undefined || (error as CodedError).code === code)
  );
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
