import type { App } from "@slack/bolt";
import type { Services } from "../../services.js";
import { registerApprovalButtons } from "./approval-buttons.js";
import { registerDenyDialog } from "./deny-dialog.js";
import { registerScheduleConfirm } from "./schedule-confirm.js";
import { registerScheduleActions } from "./schedule-modal.js";
import { registerStopButton } from "./stop-button.js";
import { registerViewButton } from "./view-button.js";

/** Buttons and dialogs: approvals (in threads and App Home), Stop, View run, the schedule form, and the owner's confirmation of a schedule someone else changed. */
export function registerActions(app: App, services: Services): void {
  registerApprovalButtons(app, services);
  registerDenyDialog(app, services);
  registerStopButton(app, services);
  registerViewButton(app, services);
  registerScheduleActions(app, services);
  registerScheduleConfirm(app, services);
}
