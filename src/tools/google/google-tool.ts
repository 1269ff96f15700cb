import type { z } from "zod";
import { previewOf, type Sink } from "../../harness/labels.js";
import type { GoogleAccount } from "../../integrations/google/account-store.js";
import { classifyGoogleError } from "../../integrations/google/api-errors.js";
import type { GoogleSession } from "../../integrations/google/client-factory.js";
import type { ConnectReason } from "../../integrations/google/connect-prompt.js";
import type { GoogleIntegration } from "../../integrations/google/integration.js";
import { defineTool, type Risk, type Tool, type ToolContext, type ToolResult } from "../tool.js";

/**
 * Every Google tool runs through here: it works only with the Google account of the person the run
 * is for (`context.userId`), offers them a connect link when the account is missing, expired or
 * lacks a scope, and turns Google's errors into words the model can act on (a refused grant marks
 * the account for reconnection, so the next call does not hit Google again).
 */
export interface GoogleToolSpec<Input> {
  name: string;
  description: string;
  input: z.ZodType<Input>;
  risk: Risk;
  /** A write that stays private to the person (a draft, a new file of theirs): no approval by default. */
  confined?: boolean;
  /** Short scope names the tool needs (`gmail.readonly`). */
  scopes: string[];
  timeoutMs?: number;
  outputLimit?: number;
  summarize?(input: Input): string;
  /**
   * People outside the requester's own account who receive data (mail recipients, calendar guests),
   * and the text they receive: sinks for the information-flow rule (src/harness/flow.ts).
   */
  recipients?(input: Input): { addresses: string[]; preview: string };
  run(input: Input, google: GoogleCall, context: ToolContext): Promise<ToolResult>;
  reconcile?(input: Input, google: GoogleCall, context: ToolContext): Promise<ToolResult | undefined>;
}

export interface GoogleCall extends GoogleSession {
  account: GoogleAccount;
}

export function defineGoogleTool<Input>(
  integration: GoogleIntegration,
  spec: GoogleToolSpec<Input>,
): Tool<Input> {
  const offer = (context: ToolContext, reason: ConnectReason, scopes: string[], email?: string) =>
    integration.offerConnection(
      {
        workspaceId: context.workspaceId,
        userId: context.userId,
        channel: context.channel,
        threadTs: context.threadTs,
        runId: context.runId,
      },
      { reason, scopes, email },
    );

  async function withAccess<T>(
    context: ToolContext,
    use: (google: GoogleCall) => Promise<T>,
    unavailable: (message: string) => T,
  ): Promise<T> {
    const access = await integration.clients.forUser(
      { workspaceId: context.workspaceId, userId: context.userId, scopes: spec.scopes },
      context.signal,
    );
    if (access.type === "not_connected")
      return unavailable(await offer(context, "not_connected", spec.scopes));
    if (access.type === "reconnect") {
      return unavailable(await offer(context, "reconnect", spec.scopes, access.account.email));
    }
    if (access.type === "missing_scopes") {
      return unavailable(await offer(context, "missing_scopes", access.missing, access.account.email));
    }
    const google: GoogleCall = { ...access.session, account: access.account };
    try {
      return await use(google);
    } catch (error) {
      const failure = classifyGoogleError(error);
      if (!failure || context.signal.aborted) throw error;
      if (failure.kind === "grant_invalid") {
        await integration.clients.markBroken(access.account, failure.revoked);
        return unavailable(await offer(context, "reconnect", spec.scopes, access.account.email));
      }
      if (failure.kind === "insufficient_scopes") {
        return unavailable(await offer(context, "missing_scopes", spec.scopes, access.account.email));
      }
      return unavailable(explain(failure));
    } finally {
      await access.session.settle();
    }
  }

  const ownAddress = async (context: ToolContext) => ({
    userId: context.userId,
    email: (await integration.accounts.find(context.workspaceId, context.userId))?.email,
  });

  return defineTool<Input>({
    name: spec.name,
    description: spec.description,
    input: spec.input,
    risk: spec.risk,
    confined: spec.confined,
    timeoutMs: spec.timeoutMs ?? 60_000,
    outputLimit: spec.outputLimit ?? 20_000,
    summarize: spec.summarize,
    sinks: spec.recipients
      ? async (input, context) => recipientSinks(spec.recipients!(input), await ownAddress(context))
      : undefined,
    execute: (input, context) =>
      withAccess(
        context,
        (google) => spec.run(input, google, context),
        (content) => ({ content, isError: true }),
      ),
    reconcile: spec.reconcile
      ? (input, context) =>
          // Without access nothing can have been done since, and nothing can be done now either.
          withAccess<ToolResult | undefined>(
            context,
            (google) => spec.reconcile!(input, google, context),
            () => undefined,
          )
      : undefined,
  });
}

/** The requester's own Google address receives only what the requester may read: a DM to them. */
function recipientSinks(
  recipients: { addresses: string[]; preview: string },
  own: { userId: string; email: string | undefined },
): Sink[] {
  return recipients.addresses.map((address) => ({
    audience:
      own.email && address.trim().toLowerCase() === own.email.toLowerCase()
        ? { kind: "user", id: own.userId }
        : { kind: "external", host: address.trim().toLowerCase() },
    names: [address],
    preview: previewOf(recipients.preview),
  }));
}

function explain(failure: NonNullable<ReturnType<typeof classifyGoogleError>>): string {
  switch (failure.kind) {
    case "rate_limited":
      return `Google is limiting how fast I can call it right now (${failure.message}). Wait a few minutes before trying again.`;
    case "not_found":
      return `Google says it was not found (${failure.message}). Check the id, or search for it first.`;
    case "unauthorized":
      return `Google did not accept my credentials (${failure.message}). If this keeps happening, the person can reconnect Google.`;
    case "server":
      return `Google had a problem (HTTP ${failure.status}: ${failure.message}). Try again later.`;
    case "network":
      return `I could not reach Google (${failure.message}). Try again later.`;
    case "request":
      return `Google refused the request (HTTP ${failure.status}: ${failure.message}). Fix the request and try again.`;
    default:
      return failure.message;
  }
}
