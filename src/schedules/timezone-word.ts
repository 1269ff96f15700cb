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

/**
 * "... in Europe/Warsaw" at the very end of a task (what `/[\s,;]+in\s+([^\s,;:]+?)\.?$/i` would
 * find): the zone word and where its clause starts. Read backwards from the end, in linear time; the
 * regex took quadratic time on a long run of spaces that is not followed by "in".
 */
export function trailingZone(text: string): { word: string; index: number } | undefined {
  let wordStart = text.length;
  while (wordStart > 0 && !/[\s,;:]/.test(text[wordStart - 1]!)) wordStart -= 1;
  let word = text.slice(wordStart);
  if (word === "") return undefined;
  if (word.length > 1 && word.endsWith(".")) word = word.slice(0, -1);
  let spaceStart = wordStart;
  while (spaceStart > 0 && /\s/.test(text[spaceStart - 1]!)) spaceStart -= 1;
  if (spaceStart === wordStart || text.slice(spaceStart - 2, spaceStart).toLowerCase() !== "in")
    return undefined;
  let index = spaceStart - 2;
  while (index > 0 && /[\s,;]/.test(text[index - 1]!)) index -= 1;
  return index < spaceStart - 2 ? { word, index } : undefined;
}
