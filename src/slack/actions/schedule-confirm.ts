import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { pauseOrResume } from "../../schedules/manage.js";
import { confirmActionId, readConfirmValue } from "../../schedules/owner-notice.js";
import type { Services } from "../../services.js";
import { tellPrivately } from "./private-reply.js";
import { manageDependencies } from "./schedule-modal.js";

/**
 * "Confirm and resume" in the DM that tells a schedule's owner someone else paused or changed it:
 * only the owner may press it, and only for the version they were told about (a later change by
 * someone else sends a new DM with a new button).
 */
export function registerScheduleConfirm(app: App, services: Services): void {
  app.action<BlockAction<ButtonAction>>(confirmActionId, async ({ ack, body, action, client, respond }) => {
    await ack();
    const userId = body.user.id;
    const answer = (text: string) => tellPrivately(client, services.logger, { userId, respond }, text);
    const value = readConfirmValue(action.value ?? "");
    const schedule = value ? await services.database.schedule.findUnique({ where: { id: value.id } }) : null;
    if (!value || !schedule) return answer(":no_entry: I can't find that schedule.");
    if (schedule.ownerId !== userId) {
      return answer(
        `:no_entry: Only the owner of *${schedule.name}* (<@${schedule.ownerId}>) can confirm it.`,
      );
    }
    if (schedule.deletedAt !== null)
      return answer(`*${schedule.name}* was deleted since; nothing to confirm.`);
    if (schedule.version !== value.version) {
      return answer(
        `*${schedule.name}* changed again after this message: check it with \`${services.config.slack.command} schedule list\`, then resume it there.`,
      );
    }
    if (!schedule.paused) return answer(`*${schedule.name}* is already running.`);
    await pauseOrResume(manageDependencies(services), schedule, false, { userId, client });
    services.logger.info({ scheduleId: schedule.id, userId }, "schedule confirmed by its owner");
    return answer(`:arrow_forward: Confirmed: *${schedule.name}* runs again in <#${schedule.channel}>.`);
  });
}
