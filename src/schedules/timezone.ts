/** IANA timezone names, checked with Intl (the same database that runs the schedules). */

/** First segments of IANA names; "in <something>/<else>" with one of these is meant as a timezone. */
const ZONE_AREAS = new Set([
  "africa",
  "america",
  "antarctica",
  "arctic",
  "asia",
  "atlantic",
  "australia",
  "europe",
  "indian",
  "pacific",
  "etc",
  "us",
  "canada",
  "brazil",
  "mexico",
  "chile",
]);

const UNIVERSAL_NAMES = new Set(["utc", "gmt"]);

export function isValidTimezone(name: string): boolean {
  if (name.trim() === "" || name !== name.trim()) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * The name as it should be stored, or undefined when Intl does not know it. Case is fixed
 * ("europe/warsaw" becomes "Europe/Warsaw") but aliases are kept as written ("Asia/Kolkata" stays).
 */
export function canonicalTimezone(name: string): string | undefined {
  if (!isValidTimezone(name)) return undefined;
  const resolved = new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  if (resolved.toLowerCase() === name.toLowerCase()) return resolved;
  if (UNIVERSAL_NAMES.has(name.toLowerCase())) return name.toUpperCase();
  if (name !== name.toLowerCase()) return name;
  return name.replace(/(^|[/_])([a-z])/g, (_match, separator: string, letter: string) => {
    return separator + letter.toUpperCase();
  });
}

/**
 * Whether a word after "in" is meant as a timezone: an `Area/Location` name (a known area, or both
 * parts capitalized) or UTC/GMT. Other words
 * ("in #general", "in the morning") belong to the task. Abbreviations such as EST are not accepted
 * as zones here: they are ambiguous, and Intl reads EST as a fixed UTC-5 with no daylight saving.
 */
export function looksLikeTimezone(word: string): boolean {
  const lower = word.toLowerCase();
  if (UNIVERSAL_NAMES.has(lower)) return true;
  // Capitalized like a zone ("Europe/Warsw", "Mars/Olympus"): meant as one, even if mistyped.
  if (/^[A-Z][A-Za-z]+\/[A-Z]/.test(word)) return true;
  const [area, ...rest] = lower.split("/");
  return rest.length > 0 && area !== undefined && ZONE_AREAS.has(area);
}

/** Abbreviations people write for a zone; named in the error so the user knows what to write instead. */
export function isZoneAbbreviation(word: string): boolean {
  return /^(?:[ECMP][SD]T|CES?T|BST|IST|JST|AES?T|AEDT|EES?T|WES?T|HST|AK[SD]T)$/.test(word);
}
