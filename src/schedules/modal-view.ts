import { parseScheduleCommand } from "./command.js";
import { validateCron } from "./cron.js";
import type { ScheduleDraft } from "./manage.js";
import type { MissedPolicy, OverlapPolicy, ScheduleRecord } from "./store.js";
import { canonicalTimezone } from "./timezone.js";

/**
 * The create/edit modal (`/coworker schedule` with nothing after it, or Edit in `schedule list` and
 * App Home): the view, and reading what was submitted into a draft or per-field errors.
 */
export const modalCallbackId = "schedule.modal";

export interface ModalMetadata {
  channel: string;
  scheduleId?: string;
}

type Option = { text: { type: "plain_text"; text: string }; value: string };

const option = (value: string, text: string): Option => ({ text: { type: "plain_text", text }, value });
const overlapOptions = [option("skip", "Skip it"), option("queue", "Run it after the previous one")];
const missedOptions = [
  option("skip", "Skip them and tell the channel"),
  option("latest", "Run the latest one late"),
];

function input(
  blockId: string,
  label: string,
  element: Record<string, unknown>,
  optional = false,
  hint?: string,
) {
  return {
    type: "input",
    block_id: blockId,
    optional,
    label: { type: "plain_text", text: label },
    element: { action_id: "value", ...element },
    ...(hint ? { hint: { type: "plain_text", text: hint } } : {}),
  };
}

function text(initial: string | undefined, extra: Record<string, unknown> = {}) {
  return { type: "plain_text_input", ...(initial ? { initial_value: initial } : {}), ...extra };
}

export function scheduleModal(options: { channel: string; schedule?: ScheduleRecord; timezone?: string }) {
  const { schedule } = options;
  const metadata: ModalMetadata = {
    channel: schedule?.channel ?? options.channel,
    ...(schedule ? { scheduleId: schedule.id } : {}),
  };
  const overlap = overlapOptions.find((item) => item.value === (schedule?.overlapPolicy ?? "skip"));
  const missed = missedOptions.find((item) => item.value === (schedule?.missedPolicy ?? "skip"));
  return {
    type: "modal",
    callback_id: modalCallbackId,
    private_metadata: JSON.stringify(metadata),
    title: { type: "plain_text", text: schedule ? "Edit schedule" : "New schedule" },
    submit: { type: "plain_text", text: schedule ? "Save" : "Create" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      input("name", "Name", text(schedule?.name), true),
      input(
        "when",
        "When",
        text(schedule ? `"${schedule.cron}"` : undefined, {
          placeholder: { type: "plain_text", text: "every weekday at 9am" },
        }),
        false,
        'An English phrase ("every monday at 14:30", "every 2 hours") or a quoted cron ("0 9 * * 1-5").',
      ),
      input(
        "timezone",
        "Timezone",
        text(schedule?.timezone, {
          placeholder: { type: "plain_text", text: options.timezone ?? "Your Slack timezone" },
        }),
        true,
        "An IANA name such as Europe/Warsaw. Empty: the owner's Slack timezone.",
      ),
      input("task", "Task", text(schedule?.prompt, { multiline: true })),
      input("channel", "Post runs in", {
        type: "conversations_select",
        initial_conversation: metadata.channel,
      }),
      input("overlap", "If the previous run is still going", {
        type: "static_select",
        options: overlapOptions,
        ...(overlap ? { initial_option: overlap } : {}),
      }),
      input("missed", "Runs missed while I was down", {
        type: "static_select",
        options: missedOptions,
        ...(missed ? { initial_option: missed } : {}),
      }),
      input(
        "max_age",
        "Latest missed run: at most this many minutes late",
        text(String(schedule?.missedMaxAgeMinutes ?? 60)),
        true,
      ),
    ],
  };
}

export interface ModalSubmission {
  draft: ScheduleDraft;
  name: string | undefined;
  channel: string;
  overlapPolicy: OverlapPolicy;
  missedPolicy: MissedPolicy;
  missedMaxAgeMinutes: number;
}

/** Slack's `view.state.values`: block id, then action id, then the element's value object. */
type StateValues = Record<string, Record<string, object>>;

/** The submitted values, or Slack's `errors` map (block id → message) for what is wrong. */
export function readModal(
  values: StateValues,
  metadata: ModalMetadata,
): { ok: true; submission: ModalSubmission } | { ok: false; errors: Record<string, string> } {
  const field = (block: string) => values[block]?.value as Record<string, unknown> | undefined;
  const typed = (block: string) => {
    const value = field(block)?.value;
    return typeof value === "string" ? value.trim() : "";
  };
  const selected = (block: string) => (field(block)?.selected_option as { value?: string } | null)?.value;
  const errors: Record<string, string> = {};

  const task = typed("task");
  if (task === "") errors.task = "Say what to do at each run.";
  const zoneText = typed("timezone");
  const timezone = zoneText === "" ? undefined : canonicalTimezone(zoneText);
  if (zoneText !== "" && timezone === undefined) {
    errors.timezone = `"${zoneText}" is not a known timezone; use an IANA name such as Europe/Warsaw.`;
  }
  const when = readWhen(typed("when"));
  if (!when.ok) errors.when = when.reason.slice(0, 150);
  const ageText = typed("max_age");
  const age = ageText === "" ? 60 : Number(ageText);
  if (!Number.isInteger(age) || age < 1 || age > 7 * 24 * 60) {
    errors.max_age = "A whole number of minutes, from 1 to 10080 (a week).";
  }
  const channel = (field("channel")?.selected_conversation as string | null | undefined) ?? metadata.channel;
  if (!when.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    submission: {
      draft: {
        cron: when.cron,
        task,
        ...((timezone ?? when.timezone) ? { timezone: timezone ?? when.timezone } : {}),
      },
      name: typed("name") || undefined,
      channel,
      overlapPolicy: selected("overlap") === "queue" ? "queue" : "skip",
      missedPolicy: selected("missed") === "latest" ? "latest" : "skip",
      missedMaxAgeMinutes: age,
    },
  };
}

const PLACEHOLDER_TASK = "placeholder-task";

/** The "When" field alone: a phrase, or a cron with or without quotes. */
export function readWhen(
  when: string,
): { ok: true; cron: string; timezone?: string } | { ok: false; reason: string } {
  if (when === "") return { ok: false, reason: 'Say when, e.g. "every weekday at 9am".' };
  const quoted = /^[\d*]/.test(when) && validateCron(when).ok ? `"${when}"` : when;
  const parsed = parseScheduleCommand(`${quoted} ${PLACEHOLDER_TASK}`);
  if (!parsed.ok) return { ok: false, reason: parsed.reason };
  if (parsed.task !== PLACEHOLDER_TASK) {
    return { ok: false, reason: `I could not read all of "${when}" as a schedule.` };
  }
  return { ok: true, cron: parsed.cron, ...(parsed.timezone ? { timezone: parsed.timezone } : {}) };
}
