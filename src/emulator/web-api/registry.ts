import type { MethodDefinition } from "./definition.js";
import { assistantMethods } from "./methods/assistant.js";
import { authMethods } from "./methods/auth.js";
import { chatMethods } from "./methods/chat.js";
import { conversationMethods } from "./methods/conversations.js";
import { fileMethods } from "./methods/files.js";
import { oauthMethods } from "./methods/oauth.js";
import { openIdMethods } from "./methods/openid.js";
import { reactionMethods } from "./methods/reactions.js";
import { streamMethods } from "./methods/stream.js";
import { userMethods } from "./methods/users.js";
import { viewMethods } from "./methods/views.js";

/** Every Web API method the emulator answers, by name. */
export function methodRegistry(): Map<string, MethodDefinition> {
  const families = [
    authMethods,
    userMethods,
    conversationMethods,
    chatMethods,
    streamMethods,
    reactionMethods,
    viewMethods,
    assistantMethods,
    fileMethods,
    oauthMethods,
    openIdMethods,
  ];
  return new Map(families.flat().map((definition) => [definition.name, definition]));
}
