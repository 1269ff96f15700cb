import type { EmulatorCore } from "../core.js";
import { deleteMessage, postMessage, updateMessage } from "../messaging.js";
import type { JsonObject } from "../state/types.js";
import { validateBlocks } from "../web-api/blocks.js";
import { maxTextLength } from "../web-api/message-input.js";
import { SlackMethodError } from "../web-api/method-error.js";
import { type ResponseUrlTarget, responseUrlLifetimeMs, responseUrlMaxUses } from "./response-urls.js";

export interface ResponseUrlAnswer {
  status: number;
  body: Record<string, unknown>;
}

interface ResponseBody {
  text?: unknown;
  blocks?: unknown;
  attachments?: unknown;
  response_type?: unknown;
  replace_original?: unknown;
  delete_original?: unknown;
  thread_ts?: unknown;
}

const truthy = (value: unknown) => value === true || value === "true";

/**
 * Applies a message sent to a response_url as Slack does: `delete_original` removes the message
 * interacted with, `replace_original` replaces it, otherwise a new message is posted, ephemeral to
 * the user unless `response_type: "in_channel"`.
 */
export function applyResponse(core: EmulatorCore, target: ResponseUrlTarget, body: ResponseBody): void {
  const install = core.store.directory.install(target.teamId);
  if (!install) return;
  const ephemeralOriginal = target.messageTs
    ? core.store.messages.findEphemeral(target.channel, target.messageTs)
    : undefined;
  const original = target.messageTs ? core.store.messages.find(target.channel, target.messageTs) : undefined;
  if (truthy(body.delete_original)) {
    if (ephemeralOriginal) core.store.messages.deleteEphemeral(ephemeralOriginal);
    else if (original) deleteMessage(core, original);
    return;
  }
  const text = typeof body.text === "string" ? body.text.slice(0, maxTextLength) : "";
  const blocks = body.blocks === undefined ? undefined : validateBlocks(body.blocks, { maxBlocks: 50 });
  const attachments = Array.isArray(body.attachments) ? (body.attachments as JsonObject[]) : undefined;
  if (truthy(body.replace_original) && (ephemeralOriginal || original)) {
    if (ephemeralOriginal) core.store.messages.updateEphemeral(ephemeralOriginal, { text, blocks });
    else if (original) updateMessage(core, original, { text, blocks, attachments });
    return;
  }
  const threadTs = typeof body.thread_ts === "string" ? body.thread_ts : target.threadTs;
  if (body.response_type === "in_channel") {
    postMessage(
      core,
      {
        teamId: target.teamId,
        channel: target.channel,
        threadTs,
        user: install.botUserId,
        botId: install.botId,
        appId: core.app.id,
        text,
        blocks,
        attachments,
      },
      "response_url",
    );
    return;
  }
  core.store.messages.addEphemeral({
    teamId: target.teamId,
    channel: target.channel,
    user: target.userId,
    ts: core.timestamps.next(),
    threadTs,
    text,
    blocks,
    botId: install.botId,
    source: "response_url",
    deleted: false,
  });
}

/** The HTTP side of a response_url: checks the URL is live, then applies the message. */
export function handleResponseUrl(core: EmulatorCore, id: string, body: unknown): ResponseUrlAnswer {
  const target = core.responseUrls.get(id);
  if (!target) return { status: 404, body: { ok: false, error: "invalid_url" } };
  if (core.now() - target.createdAt > responseUrlLifetimeMs) {
    return { status: 404, body: { ok: false, error: "expired_url" } };
  }
  if (target.uses >= responseUrlMaxUses) return { status: 404, body: { ok: false, error: "used_url" } };
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { status: 400, body: { ok: false, error: "invalid_payload" } };
  }
  target.uses += 1;
  try {
    applyResponse(core, target, body as ResponseBody);
  } catch (error) {
    if (error instanceof SlackMethodError) {
      return {
        status: 400,
        body: { ok: false, error: error.error, response_metadata: { messages: error.messages } },
      };
    }
    throw error;
  }
  return { status: 200, body: { ok: true } };
}
