import type { Tool } from "../tool.js";
import { addReactionTool, reactInThreadTool } from "./add-reaction.js";
import { findMessagesTool } from "./find-messages.js";
import { getPermalinkTool } from "./get-permalink.js";
import { lookUpPeopleTool } from "./look-up-people.js";
import { postMessageTool } from "./post-message.js";
import { readFileTool } from "./read-file.js";
import { readMessagesTool } from "./read-messages.js";
import { uploadFileTool } from "./upload-file.js";

/**
 * The Slack tools. They reach Slack through `context.services.slack` (the workspace's client) and
 * the stored message log through `context.services.database`; everything they read is untrusted.
 */
export function slackTools(): Tool[] {
  return [
    readMessagesTool,
    findMessagesTool,
    lookUpPeopleTool,
    getPermalinkTool,
    readFileTool,
    postMessageTool,
    reactInThreadTool,
    addReactionTool,
    uploadFileTool,
  ] as Tool[];
}
