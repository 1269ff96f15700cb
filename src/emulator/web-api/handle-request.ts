import { sleep } from "../clock.js";
import type { EmulatorCore } from "../core.js";
import { MethodArguments } from "./arguments.js";
import type { MethodAuth, MethodDefinition } from "./definition.js";
import { SlackMethodError } from "./method-error.js";

export interface ApiRequest {
  method: string;
  args: Record<string, unknown>;
  /** From `Authorization: Bearer …`. */
  bearerToken: string | undefined;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

const json = (
  status: number,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): ApiResponse => ({
  status,
  headers,
  body,
});

function failure(
  error: string,
  messages: string[] = [],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { ok: false, error, ...extra, response_metadata: { messages } };
}

function authenticate(core: EmulatorCore, token: string | undefined): MethodAuth {
  if (!token) throw new SlackMethodError("not_authed");
  if (core.store.directory.isRevoked(token)) throw new SlackMethodError("token_revoked");
  const install = core.store.directory.installForToken(token);
  const team = install ? core.store.directory.team(install.teamId) : undefined;
  if (!install || !team) throw new SlackMethodError("invalid_auth");
  return { team, install, token };
}

/**
 * Answers one Web API call the way Slack does: faults first (latency, 5xx, 429 storms), then auth,
 * then the per-workspace rate limit (HTTP 429 + Retry-After), then the method. Errors are HTTP 200
 * `{ ok: false, error, response_metadata: { messages } }`. Every call is logged.
 */
export async function handleApiRequest(
  core: EmulatorCore,
  registry: Map<string, MethodDefinition>,
  request: ApiRequest,
): Promise<ApiResponse> {
  const { token: bodyToken, ...args } = request.args;
  const token = request.bearerToken ?? (typeof bodyToken === "string" ? bodyToken : undefined);
  let teamId: string | undefined;
  const respond = (response: ApiResponse): ApiResponse => {
    core.store.activity.recordCall({
      method: request.method,
      args,
      teamId,
      httpStatus: response.status,
      response: response.body,
      at: core.now(),
    });
    return response;
  };
  const faults = core.faults.forApiCall(request.method);
  if (faults.latencyMs > 0) await sleep(faults.latencyMs);
  if (faults.serverErrorStatus !== undefined) {
    return respond(
      json(faults.serverErrorStatus, failure("internal_error", ["[ERROR] injected server error"])),
    );
  }
  if (faults.rateLimitSeconds !== undefined) {
    return respond(
      json(429, { ok: false, error: "ratelimited" }, { "Retry-After": String(faults.rateLimitSeconds) }),
    );
  }
  const definition = registry.get(request.method);
  if (!definition) return respond(json(200, failure("unknown_method")));
  try {
    const auth = definition.auth === "none" ? undefined : authenticate(core, token);
    teamId = auth?.team.id;
    if (auth) {
      const channel = args.channel ?? args.channel_id;
      const limited = core.rateLimiter.check({
        teamId: auth.team.id,
        method: request.method,
        args: {
          channel: typeof channel === "string" ? channel : undefined,
          threadTs: typeof args.thread_ts === "string" ? args.thread_ts : undefined,
        },
      });
      if (limited) {
        return respond(
          json(
            429,
            { ok: false, error: "ratelimited" },
            { "Retry-After": String(limited.retryAfterSeconds) },
          ),
        );
      }
    }
    const result = await definition.handle({
      core,
      method: request.method,
      args: new MethodArguments(args),
      auth,
      bearerToken: token,
    });
    return respond(json(200, { ok: true, ...result }));
  } catch (error) {
    if (error instanceof SlackMethodError) {
      return respond(json(200, failure(error.error, error.messages, error.extra)));
    }
    const message = error instanceof Error ? error.message : String(error);
    return respond(json(200, failure("internal_error", [`[ERROR] ${message}`])));
  }
}
