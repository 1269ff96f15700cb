import type { App } from "@slack/bolt";
import { connectActionId } from "../../integrations/google/connect-prompt.js";
import { googleIntegrationFor } from "../../integrations/google/integration.js";
import { describeScopes, featureNames, scopesOfFeatures } from "../../integrations/google/scopes.js";
import type { HomeSection } from "./section.js";

/**
 * "Connected accounts" in App Home: the person's Google connection (who, what it covers) with a
 * button to connect, reconnect or extend it. The link in the button is theirs alone (App Home is
 * per person).
 */
export const accountsSection: HomeSection = {
  name: "accounts",
  async blocks(services, viewer) {
    const heading = { type: "header", text: { type: "plain_text", text: "Connected accounts" } };
    const google = googleIntegrationFor(services);
    if (!google) {
      return [heading, context("Google is not set up for this workspace yet (GOOGLE_CLIENT_ID).")];
    }
    const account = await google.accounts.find(viewer.workspaceId, viewer.userId);
    // A fresh single-use link each time Home is drawn; an old one says "expired" and to reopen Home.
    const link = await google.connectLink({ ...viewer, scopes: scopesOfFeatures(featureNames) });
    const command = services.config.slack.command;
    if (!account) {
      return [
        heading,
        section(
          "*Google* — not connected. Connect it so I can read your mail and calendar, draft and send replies (with your approval), and work with your Docs and Sheets.",
          button("Connect Google", link),
        ),
      ];
    }
    if (account.status !== "active") {
      return [
        heading,
        section(
          `:warning: *Google* — my access to ${account.email ?? "your account"} has expired or was revoked.`,
          button("Reconnect Google", link),
        ),
      ];
    }
    return [
      heading,
      section(
        `:white_check_mark: *Google* — connected as ${account.email ?? "your account"} (${describeScopes(account.scopes)}).`,
        button("Add access", link, false),
      ),
      context(`To disconnect, run \`${command} disconnect google\`.`),
    ];
  },
};

/** Link buttons still send an action: ack it so Slack shows no error. For src/slack/app.ts. */
export function registerConnectButtonAction(app: App): void {
  app.action(connectActionId, async ({ ack }) => {
    await ack();
  });
}

function section(text: string, accessory: unknown) {
  return { type: "section", text: { type: "mrkdwn", text }, accessory };
}

function button(text: string, url: string, primary = true) {
  return {
    type: "button",
    action_id: connectActionId,
    text: { type: "plain_text", text },
    url,
    ...(primary ? { style: "primary" } : {}),
  };
}

function context(text: string) {
  return { type: "context", elements: [{ type: "mrkdwn", text }] };
}
