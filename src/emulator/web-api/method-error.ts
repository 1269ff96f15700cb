/**
 * A Slack Web API error (`{ ok: false, error, response_metadata: { messages } }`), thrown by a
 * method handler and turned into an HTTP 200 answer by the request handler.
 */
export class SlackMethodError extends Error {
  constructor(
    readonly error: string,
    readonly messages: string[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(messages.length > 0 ? `${error}: ${messages.join("; ")}` : error);
    this.name = "SlackMethodError";
  }
}

/** Slack's answer for a missing required argument. */
export function missingArgument(name: string): SlackMethodError {
  return new SlackMethodError("invalid_arguments", [`[ERROR] missing required field: ${name}`]);
}
