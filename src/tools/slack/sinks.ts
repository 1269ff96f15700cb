import { conversationLabel, type Label, previewOf, type Sink } from "../../harness/labels.js";
import type { ToolContext } from "../tool.js";
import { type AccessibleConversation, accessibleConversation, parseReference } from "./access.js";
import { slackClientOf } from "./services.js";

/**
 * Where a Slack write sends data, for the information-flow rule (src/harness/flow.ts): the
 * conversation's members, or a person by direct message; and the label of what a Slack read returns.
 */
export async function slackSink(
  context: ToolContext,
  reference: string | undefined,
  preview: string,
): Promise<Sink> {
  const target = reference ?? context.channel;
  const parsed = parseReference(target);
  if ("user" in parsed) {
    return {
      audience: { kind: "user", id: parsed.user },
      names: [parsed.user, target],
      preview: previewOf(preview),
    };
  }
  const conversation = await accessibleConversation(await slackClientOf(context), target, context.userId);
  const names = [conversation.id, target];
  if (conversation.label.startsWith("#")) names.push(conversation.label);
  return { audience: { kind: "conversation", id: conversation.id }, names, preview: previewOf(preview) };
}

/** Messages and files read from a conversation: its readers, and untrusted (other people wrote them). */
export function slackLabel(conversation: Pick<AccessibleConversation, "id" | "kind">): Label {
  return conversationLabel(conversation, true);
}
