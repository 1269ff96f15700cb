import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { cancelRun } from "../../runs/cancel-run.js";
import type { Services } from "../../services.js";
import { cancelRefusalText } from "../blocks/refusals.js";
import { isWorkspaceAdmin } from "./admin.js";
import { clickContext } from "./approval-buttons.js";
import { showDecision } from "./approval-message.js";
import { tellPrivately } from "./private-reply.js";

/**
 * The Stop button on a run's status message (value: the run id). The requester or an admin may stop;
 * the run ends as cancelled within seconds wherever it is (src/runs/cancel-run.ts), and the harness
 * edits the status message to say so.
 */
export const stopAction = "run.stop";

export function registerStopButton(app: App, services: Services): void {
  app.action<BlockAction<ButtonAction>>(
    stopAction,
    async ({ ack, body, action, client, respond, context }) => {
      await ack();
      const click = clickContext(body, context, respond);
      const result = await cancelRun(services, {
        workspaceId: click.workspaceId,
        runId: action.value ?? "",
        userId: click.userId,
        isAdmin: () => isWorkspaceAdmin(client, click.userId),
      });
      if (result.type === "refused") {
        await tellPrivately(client, services.logger, click, cancelRefusalText(result));
        return;
      }
      services.logger.info({ runId: result.run.id, userId: click.userId }, "run stop requested");
      for (const approval of result.closedApprovals) {
        await showDecision(client, services.database, services.logger, approval);
      }
    },
  );
}
