import { errorMessage } from "../../errors.js";
import type { GoogleDependencies } from "./dependencies.js";
import { describeScopes } from "./scopes.js";

/**
 * When a task needs Google and the person has not connected it (or must reconnect, or grant more),
 * they get a private (ephemeral) message in the thread with a connect link: the link is bound to
 * them, so it is never posted where others can click it. The tool then tells the model what happened,
 * in words it can pass on; calling the tool again does not post again in the same run.
 */
/** The action id of every "Connect Google" link button (acked by `registerConnectButtonAction`). */
export const connectActionId = "google.connect";

export type ConnectReason = "not_connected" | "reconnect" | "missing_scopes";

export interface ConnectPlace {
  workspaceId: string;
  userId: string;
  channel: string;
  threadTs: string;
  runId: string;
}

export async function offerConnection(
  deps: GoogleDependencies,
  offered: Set<string>,
  link: (scopes: string[]) => Promise<string>,
  place: ConnectPlace,
  request: { reason: ConnectReason; scopes: string[]; email?: string },
): Promise<string> {
  const what = describeScopes(request.scopes);
  const key = `${place.runId}:${request.reason}:${request.scopes.join(" ")}`;
  let sent = offered.has(key);
  if (!sent) {
    try {
      const client = await deps.slack.forWorkspace(place.workspaceId);
      const text = invitation(request.reason, what, request.email);
      const url = await link(request.scopes);
      await client.chat.postEphemeral({
        channel: place.channel,
        user: place.userId,
        thread_ts: place.threadTs,
        text: `${text} ${url}`,
        blocks: [
          { type: "section", text: { type: "mrkdwn", text } },
          {
            type: "actions",
            elements: [
              {
                type: "button",
                action_id: connectActionId,
                style: "primary",
                text: { type: "plain_text", text: "Connect Google" },
                url,
              },
            ],
          },
        ],
      });
      offered.add(key);
      sent = true;
    } catch (error) {
      deps.logger.warn({ error: errorMessage(error) }, "could not offer the google connect link");
    }
  }
  const situation =
    request.reason === "not_connected"
      ? `<@${place.userId}> has not connected a Google account, so I cannot use ${what} for them.`
      : request.reason === "reconnect"
        ? `Google access for <@${place.userId}>${request.email ? ` (${request.email})` : ""} has expired or was revoked, so I cannot use ${what} until they reconnect.`
        : `<@${place.userId}> has not given me access to ${what} yet.`;
  const next = sent
    ? "I sent them a private link to connect it. Tell them, and ask them to ask again once connected. Do not retry this tool before then."
    : `Ask them to run \`${deps.slashCommand} connect google\` and then ask again. Do not retry this tool before then.`;
  return `${situation} ${next}`;
}

function invitation(reason: ConnectReason, what: string, email: string | undefined): string {
  if (reason === "reconnect") {
    return `:warning: My access to your Google account${email ? ` (${email})` : ""} has expired or was revoked. Reconnect it so I can use ${what} for you:`;
  }
  if (reason === "missing_scopes") return `:key: To do this I need access to ${what}. Grant it here:`;
  return `:key: To do this I need your Google account (${what}). Connect it here (only you can see this):`;
}
