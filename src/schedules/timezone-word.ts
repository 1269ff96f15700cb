import { failure, type ScheduleParseFailure } from "./parse-failure.js";
import { canonicalTimezone, isZoneAbbreviation, looksLikeTimezone } from "./timezone.js";

/** "in <zone>" at the start of some text; the zone word ends at whitespace, ",", ";", ":" or a final ".". */
export const ZONE_CLAUSE = String.raw`in\s+([^\s,;:]+?)(?=[\s,;:]|\.(?:\s|$)|$)`;

export type TimezoneWord = { ok: true; timezone?: string } | ScheduleParseFailure;

/**
 * The word after "in": a timezone (`{ ok: true, timezone }`), not meant as one (`{ ok: true }`, e.g.
 * "in #general"), or a zone that is unknown or an ambiguous abbreviation (a failure saying so).
 */
export function readTimezoneWord(word: string): TimezoneWord {
  if (looksLikeTimezone(word)) {
    const timezone = canonicalTimezone(word);
    if (timezone === undefined) {
      return failure(
        `"${word}" is not a known timezone. Use an IANA name such as Europe/Warsaw or America/New_York.`,
      );
    }
    return { ok: true, timezone };
  }
  if (isZoneAbbreviation(word)) {
    return failure(
      `"${word}" is an abbreviation, and Intl reads it as a fixed offset without daylight saving; ` +
        `use an IANA name such as America/New_York or Europe/Warsaw.`,
    );
  }
  return { ok: true };
}
