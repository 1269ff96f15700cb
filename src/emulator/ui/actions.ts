import { z } from "zod";
import { openHome, startAssistantThread } from "../actions/home.js";
import { clickElement, runSlashCommand } from "../actions/interactions.js";
import type { InteractionResult } from "../actions/results.js";
import { resolveUser } from "../actions/results.js";
import { postAsUser, reactAsUser } from "../actions/user-messages.js";
import { closeView, submitView } from "../actions/views.js";
import type { EmulatorCore } from "../core.js";
import { openDirectMessage } from "../seed.js";
import type { JsonObject } from "../state/types.js";
import { encodeComposerText, parseSlashCommand } from "./composer-text.js";
import { uiConversation } from "./present.js";

/**
 * What people do in the UI, through the same actions tests use (`slack.post`, `clickButton`,
 * `runSlashCommand`, `submitView`, ...): the app gets exactly the events and payloads it would get
 * from those.
 */
const compose = z.object({
  user: z.string(),
  channel: z.string(),
  text: z.string().trim().min(1),
  threadTs: z.string().optional(),
});
const click = z.object({
  user: z.string(),
  actionId: z.string(),
  blockId: z.string().optional(),
  value: z.string().optional(),
  channel: z.string().optional(),
  messageTs: z.string().optional(),
  viewId: z.string().optional(),
});
const viewValue = z.union([z.string(), z.array(z.string()), z.record(z.string(), z.unknown())]);
const submit = z.object({
  user: z.string(),
  viewId: z.string(),
  values: z.record(z.string(), z.record(z.string(), viewValue)).default({}),
});
const close = z.object({ user: z.string(), viewId: z.string() });
const home = z.object({ user: z.string(), tab: z.enum(["home", "messages"]).default("home") });
const react = z.object({
  user: z.string(),
  channel: z.string(),
  ts: z.string(),
  name: z.string(),
  remove: z.boolean().optional(),
});
const person = z.object({ user: z.string() });
const assistant = z.object({ user: z.string(), contextChannel: z.string().optional() });

type Action = (core: EmulatorCore, teamId: string, body: unknown) => Promise<JsonObject>;

function delivered(result: InteractionResult): JsonObject {
  return { ok: true, acked: result.acked, ackTimedOut: result.ackTimedOut };
}

export const uiActions: Record<string, Action> = {
  /** The composer: a slash command (`/coworker ...`) or a message with `@name` mentions encoded. */
  async compose(core, teamId, body) {
    const input = compose.parse(body);
    const command = parseSlashCommand(input.text);
    if (command) {
      const result = await runSlashCommand(core, teamId, {
        user: input.user,
        channel: input.channel,
        ...command,
      });
      return { ...delivered(result), kind: "command", command: command.command };
    }
    const text = encodeComposerText(
      input.text,
      core.store.directory.usersOf(teamId),
      core.store.directory.conversationsOf(teamId),
    );
    const posted = await postAsUser(core, teamId, { ...input, text });
    return { ok: true, kind: "message", channel: posted.channel, ts: posted.ts, text };
  },
  async click(core, teamId, body) {
    return delivered(await clickElement(core, teamId, click.parse(body)));
  },
  async submit(core, teamId, body) {
    const result = await submitView(core, teamId, submit.parse(body));
    return { ...delivered(result), responseAction: result.responseAction, errors: result.errors };
  },
  async close(core, teamId, body) {
    const result = await closeView(core, teamId, close.parse(body));
    return result ? delivered(result) : { ok: true };
  },
  async home(core, teamId, body) {
    const input = home.parse(body);
    await openHome(core, teamId, input);
    return { ok: true };
  },
  async react(core, teamId, body) {
    await reactAsUser(core, teamId, react.parse(body));
    return { ok: true };
  },
  /** Opens (or finds) the person's DM with the app: its "Messages" tab. */
  async "direct-message"(core, teamId, body) {
    const user = resolveUser(core, teamId, person.parse(body).user);
    return { ok: true, conversation: uiConversation(openDirectMessage(core, teamId, user.id)) };
  },
  async "assistant-thread"(core, teamId, body) {
    const started = await startAssistantThread(core, teamId, assistant.parse(body));
    return { ok: true, channel: started.channel, threadTs: started.threadTs };
  },
};
