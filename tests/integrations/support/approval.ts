import type { SlackEmulator } from "../../../src/emulator/index.js";
import { approvalActions } from "../../../src/slack/blocks/approval.js";

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
