import { missedNotice } from "./channel-messages.js";
import { findPostByKey, isPermanentPostError, postWithKey } from "./channel-posts.js";
import type { FiringDependencies } from "./firing.js";
import { withAdvisoryLock } from "./locks.js";
import { tickOutcomes, unannounced } from "./tick-outcomes.js";

/**
 * One notice in the channel for the slots a schedule missed while no scheduler was up, posted
 * exactly once per batch: the batch's rows move to "missed_announcing" (committed) before the
 * post, so a retry looks for the notice by its key first; afterwards they become "missed".
 * A schedule deleted meanwhile gets no notice.
 */
export async function announceMissed(
  dependencies: FiringDependencies & { missedRowsKept: number },
  scheduleId: string,
): Promise<"announced" | "nothing" | "silenced" | "busy"> {
  const { database } = dependencies;
  const pending = await database.scheduleTick.count({ where: { scheduleId, outcome: { in: unannounced } } });
  if (pending === 0) return "nothing";
  const locked = await withAdvisoryLock(database, `schedule-missed:${scheduleId}`, async () => {
    const schedule = await database.schedule.findUnique({ where: { id: scheduleId } });
    if (!schedule) return "nothing";
    let batch = await database.scheduleTick.findMany({
      where: { scheduleId, outcome: tickOutcomes.missedAnnouncing },
      orderBy: { scheduledAt: "asc" },
    });
    const retrying = batch.length > 0;
    if (!retrying) {
      await database.scheduleTick.updateMany({
        where: { scheduleId, outcome: tickOutcomes.missedUnannounced },
        data: { outcome: tickOutcomes.missedAnnouncing },
      });
      batch = await database.scheduleTick.findMany({
        where: { scheduleId, outcome: tickOutcomes.missedAnnouncing },
        orderBy: { scheduledAt: "asc" },
      });
    }
    const latest = batch.at(-1);
    if (!latest) return "nothing";
    const finish = () =>
      database.scheduleTick.updateMany({
        where: { id: { in: batch.map((tick) => tick.id) } },
        data: { outcome: tickOutcomes.missed },
      });
    if (schedule.deletedAt) {
      await finish();
      return "silenced";
    }
    const client = await dependencies.slack.forWorkspace(schedule.workspaceId);
    const key = `missed:${scheduleId}:${latest.scheduledAt.getTime()}`;
    const since = new Date(Math.min(...batch.map((tick) => tick.createdAt.getTime())));
    const found = retrying ? await findPostByKey(client, schedule.channel, key, since) : undefined;
    if (!found) {
      const message = missedNotice(
        schedule,
        batch.map((tick) => tick.scheduledAt),
        { countIsLowerBound: batch.length >= dependencies.missedRowsKept, policy: schedule.missedPolicy },
        dependencies.command,
      );
      try {
        await postWithKey(client, { channel: schedule.channel, key, ...message });
      } catch (error) {
        if (!isPermanentPostError(error)) throw error;
        dependencies.logger.warn(
          { scheduleId, error: String(error) },
          "missed-run notice could not be posted",
        );
      }
    }
    await finish();
    return "announced";
  });
  return locked.acquired ? locked.value : "busy";
}
