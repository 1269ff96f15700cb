import type { SlackEmulator } from "../../../src/emulator/index.js";
import { approvalActions } from "../../../src/slack/blocks/approval.js";

/** The private copy of an approval request a decider received by direct message (at most 20 s). */
export function privateApprovalRequest(slack: SlackEmulator, user: "alice" | "bob" | "carol") {
  return slack.waitForMessage(
    {
      channel: slack.dmChannel(user).id,
      match: (message) => JSON.stringify(message.blocks ?? []).includes("approval.arguments"),
    },
    20_000,
  );
}

/** A direct message from the app to `user` containing `contains` (an answer delivered privately). */
export function privateAnswer(slack: SlackEmulator, user: "alice" | "bob" | "carol", contains: string) {
  return slack.waitForMessage({ channel: slack.dmChannel(user).id, contains }, 20_000);
}

/** The approval request the app posts in a thread of #general, once it is there (at most 20 s). */
export function approvalRequest(slack: SlackEmulator, threadTs: string) {
  return slack.waitForMessage(
    {
      channel: slack.channels.general,
      threadTs,
      match: (message) => JSON.stringify(message.blocks ?? []).includes(approvalActions.approve),
    },
    20_000,
  );
}
