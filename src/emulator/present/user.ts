import type { JsonObject, User } from "../state/types.js";

/** `tz_label` and `tz_offset` (seconds east of UTC) for a time zone at a given instant. */
export function timeZoneDetails(tz: string, at: number): { label: string; offsetSeconds: number } {
  const part = (timeZoneName: "long" | "longOffset") =>
    new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName })
      .formatToParts(new Date(at))
      .find((candidate) => candidate.type === "timeZoneName")?.value ?? "";
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(part("longOffset"));
  const offsetSeconds = match
    ? (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 3600 + Number(match[3]) * 60)
    : 0;
  return { label: part("long"), offsetSeconds };
}

/** A user as `users.info` / `users.list` return it. */
export function presentUser(user: User, options: { now: number; appId: string }): JsonObject {
  const zone = timeZoneDetails(user.tz, options.now);
  const image = `https://secure.gravatar.com/avatar/${user.id}.jpg`;
  return {
    id: user.id,
    team_id: user.teamId,
    name: user.name,
    deleted: user.deleted,
    color: "9f69e7",
    real_name: user.realName,
    tz: user.tz,
    tz_label: zone.label,
    tz_offset: zone.offsetSeconds,
    profile: {
      real_name: user.realName,
      real_name_normalized: user.realName,
      display_name: user.displayName,
      display_name_normalized: user.displayName,
      ...(user.email ? { email: user.email } : {}),
      ...(user.isBot ? { bot_id: user.botId, api_app_id: options.appId, always_active: true } : {}),
      status_text: "",
      status_emoji: "",
      image_24: image,
      image_48: image,
      image_72: image,
      team: user.teamId,
    },
    is_admin: user.isAdmin,
    is_owner: user.isOwner,
    is_primary_owner: user.isOwner,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: user.isBot,
    is_app_user: false,
    updated: Math.floor(options.now / 1000),
    ...(user.isBot ? {} : { is_email_confirmed: true }),
  };
}
