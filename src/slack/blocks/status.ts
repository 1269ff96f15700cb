import type { RunProgress } from "../../harness/thread.js";

/** The status message: edited in place as the run works. */
const icons: Record<RunProgress["phase"], string> = {
  working: ":hourglass_flowing_sand:",
  waiting_approval: ":raised_hand:",
  waiting_input: ":speech_balloon:",
  done: ":white_check_mark:",
  failed: ":x:",
  cancelled: ":octagonal_sign:",
  stopped: ":double_vertical_bar:",
};

const labels: Record<RunProgress["phase"], string> = {
  working: "Working",
  waiting_approval: "Waiting for approval",
  waiting_input: "Waiting for your reply",
  done: "Done",
  failed: "Failed",
  cancelled: "Stopped",
  stopped: "Stopped",
};

export function statusText(progress: RunProgress): string {
  const seconds = Math.round(progress.elapsedMs / 1000);
  const elapsed = seconds >= 60 ? `${Math.floor(seconds / 60)}m ${seconds % 60}s` : `${seconds}s`;
  const activity = progress.phase === "working" ? ` · ${progress.activity}` : "";
  return `${icons[progress.phase]} ${labels[progress.phase]}${activity} · step ${progress.step} · ${elapsed}`;
}

/**
 * "View run" carries no link: the status message is seen by everyone in the channel, and the run's
 * page may show what only the requester can read. A click sends the requester a private, expiring
 * link (src/slack/actions/view-button.ts).
 */
export function statusBlocks(progress: RunProgress, runId: string) {
  const active = ["working", "waiting_approval", "waiting_input"].includes(progress.phase);
  const buttons = [
    ...(active
      ? [
          {
            type: "button",
            action_id: "run.stop",
            text: { type: "plain_text", text: "Stop" },
            style: "danger",
            value: runId,
          },
        ]
      : []),
    {
      type: "button",
      action_id: "run.view",
      text: { type: "plain_text", text: "View run" },
      value: runId,
    },
  ];
  return [
    { type: "context", elements: [{ type: "mrkdwn", text: statusText(progress).slice(0, 3000) }] },
    { type: "actions", block_id: "run.controls", elements: buttons },
  ];
}
