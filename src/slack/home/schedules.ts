import { lookUpPerson, mayChange, type Person } from "../../schedules/people.js";
import { scheduleBlocks } from "../../schedules/replies.js";
import { listSchedules } from "../../schedules/store.js";
import type { Services } from "../../services.js";
import type { HomeSection } from "./section.js";

/**
 * App Home: the person's schedules (all of the workspace's for an admin), each with its timing,
 * channel, next run and an Edit button that opens the schedule modal.
 */
export const schedulesSection: HomeSection = {
  name: "schedules",
  async blocks(services: Services, viewer) {
    const person = await viewerPerson(services, viewer);
    const all = await listSchedules(services.database, viewer.workspaceId);
    const visible = all.filter((schedule) => person.isAdmin || schedule.ownerId === viewer.userId);
    const command = services.config.slack.command;
    const title = person.isAdmin ? "Schedules in this workspace" : "Your schedules";
    const header = { type: "section", text: { type: "mrkdwn", text: `*${title}*` } };
    if (visible.length === 0) {
      return [
        header,
        {
          type: "context",
          elements: [
            {
              type: "mrkdwn",
              text: `None yet. In a channel, try \`${command} schedule every weekday at 9am summarize this channel\`.`,
            },
          ],
        },
      ];
    }
    return [
      header,
      ...scheduleBlocks(visible, new Date(services.now()), {
        canEdit: (schedule) => mayChange(schedule, person),
        limit: 20,
      }),
    ];
  },
};

async function viewerPerson(
  services: Services,
  viewer: { workspaceId: string; userId: string },
): Promise<Person> {
  try {
    const client = await services.slack.forWorkspace(viewer.workspaceId);
    return await lookUpPerson(client, viewer.userId);
  } catch {
    return { id: viewer.userId, timezone: undefined, isAdmin: false };
  }
}
