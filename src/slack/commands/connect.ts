import { connectActionId } from "../../integrations/google/connect-prompt.js";
import { googleIntegrationFor } from "../../integrations/google/integration.js";
import {
  describeScopes,
  featureNames,
  type GoogleFeature,
  scopesOfFeatures,
} from "../../integrations/google/scopes.js";
import type { Subcommand, SubcommandContext } from "./subcommand.js";

/**
 * `/coworker connect google [mail|calendar|drive|sheets …]` answers privately with a link that
 * connects the person's own Google account (all features unless some are named);
 * `/coworker disconnect google` revokes the grant at Google and forgets the tokens.
 */
export const connectSubcommand: Subcommand = {
  name: "connect",
  usage: `connect google [${featureNames.join("|")} …] — connect your Google account`,
  async handle(context) {
    const [provider = "", ...names] = context.argumentsText.trim().toLowerCase().split(/\s+/);
    if (provider !== "google") return unknownProvider(context, "connect");
    const google = googleIntegrationFor(context.services);
    if (!google) return notConfigured(context);
    const unknown = names.filter((name) => !featureNames.includes(name as GoogleFeature));
    if (unknown.length) {
      await context.respond({
        response_type: "ephemeral",
        text: `I don't know ${unknown.map((name) => `\`${name}\``).join(", ")}. Choose from ${featureNames.join(", ")}, or leave them out for all.`,
      });
      return;
    }
    const features = names.length ? (names as GoogleFeature[]) : featureNames;
    const scopes = scopesOfFeatures(features);
    const who = { workspaceId: context.command.team_id, userId: context.command.user_id };
    const existing = await google.accounts.find(who.workspaceId, who.userId);
    const link = await google.connectLink({ ...who, scopes });
    const now =
      existing?.status === "active"
        ? ` You are connected as ${existing.email ?? "a Google account"}; connecting again adds to what I may use.`
        : "";
    const text = `Connect your Google account so I can use ${describeScopes(scopes)} for you (only you can see this link; it works once, for ${minutes(google.deps.settings.linkLifetimeMs)}, and asks you to sign in with Slack first).${now}`;
    await context.respond({
      response_type: "ephemeral",
      text: `${text} ${link}`,
      blocks: [
        {
          type: "section",
          text: { type: "mrkdwn", text },
          accessory: {
            type: "button",
            action_id: connectActionId,
            style: "primary",
            text: { type: "plain_text", text: "Connect Google" },
            url: link,
          },
        },
      ],
    });
  },
};

export const disconnectSubcommand: Subcommand = {
  name: "disconnect",
  usage: "disconnect google — revoke my access to your Google account",
  async handle(context) {
    const [provider = ""] = context.argumentsText.trim().toLowerCase().split(/\s+/);
    if (provider !== "google") return unknownProvider(context, "disconnect");
    const google = googleIntegrationFor(context.services);
    if (!google) return notConfigured(context);
    const outcome = await google.disconnect({
      workspaceId: context.command.team_id,
      userId: context.command.user_id,
    });
    const text =
      outcome.type === "not_connected"
        ? "You have no Google account connected."
        : outcome.revoked
          ? `Disconnected ${outcome.email ?? "your Google account"}: my access is revoked and I no longer keep its tokens.`
          : `Disconnected ${outcome.email ?? "your Google account"} and forgot its tokens, but Google could not be reached to revoke my access: you can remove it at https://myaccount.google.com/permissions.`;
    await context.respond({ response_type: "ephemeral", text });
  },
};

function minutes(milliseconds: number): string {
  const count = Math.round(milliseconds / 60_000);
  return count === 1 ? "one minute" : `${count} minutes`;
}

async function unknownProvider(context: SubcommandContext, verb: string): Promise<void> {
  await context.respond({
    response_type: "ephemeral",
    text: `I can ${verb} Google: \`${context.services.config.slack.command} ${verb} google\`.`,
  });
}

async function notConfigured(context: SubcommandContext): Promise<void> {
  await context.respond({
    response_type: "ephemeral",
    text: "Google is not set up for this workspace yet. An admin can set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET.",
  });
}
