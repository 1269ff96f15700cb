import type { InteractionResult, SlackEmulator, UserRef } from "../../src/emulator/index.js";

/** `user` runs `/coworker <text>` in #general. */
export function runCoworkerCommand(
  slack: SlackEmulator,
  user: UserRef,
  text: string,
): Promise<InteractionResult> {
  return slack.runSlashCommand({ user, channel: "general", command: "/coworker", text });
}
