/**
 * Least privilege: each tool names the scopes it needs, and a person grants them per feature, when a
 * task first needs them (incremental authorization keeps earlier grants). Scopes are written short
 * (`gmail.readonly`) and sent to Google in full.
 */
const prefix = "https://www.googleapis.com/auth/";

export const googleFeatures = {
  mail: { label: "Gmail", scopes: ["gmail.readonly", "gmail.compose"] },
  calendar: { label: "Calendar", scopes: ["calendar.events", "calendar.events.freebusy"] },
  drive: { label: "Drive and Docs", scopes: ["drive.readonly", "drive.file"] },
  sheets: { label: "Sheets", scopes: ["spreadsheets"] },
} as const;

export type GoogleFeature = keyof typeof googleFeatures;

export const featureNames = Object.keys(googleFeatures) as GoogleFeature[];

/** Who the person is: asked for on every connection. */
export const identityScopes = ["openid", "email"];

/** Broader scopes that include narrower ones (Google's documented scope hierarchy, the parts we use). */
const includes: Record<string, string[]> = {
  "https://mail.google.com/": ["gmail.readonly", "gmail.compose", "gmail.modify", "gmail.send"],
  "gmail.modify": ["gmail.readonly", "gmail.compose", "gmail.send"],
  "gmail.compose": ["gmail.send"],
  calendar: [
    "calendar.readonly",
    "calendar.events",
    "calendar.events.readonly",
    "calendar.events.freebusy",
    "calendar.freebusy",
  ],
  "calendar.readonly": ["calendar.events.readonly", "calendar.events.freebusy", "calendar.freebusy"],
  "calendar.events": ["calendar.events.readonly"],
  drive: ["drive.readonly", "drive.file"],
  spreadsheets: ["spreadsheets.readonly"],
};

/** Every short scope a connect link may ask for. */
export const knownScopes = new Set<string>([
  ...identityScopes,
  ...Object.values(googleFeatures).flatMap((feature) => feature.scopes),
  ...Object.values(includes).flat(),
  ...Object.keys(includes).filter((scope) => !scope.startsWith("https://")),
]);

export function fullScope(scope: string): string {
  return scope.startsWith("https://") || identityScopes.includes(scope) ? scope : `${prefix}${scope}`;
}

export function shortScope(scope: string): string {
  if (scope === "https://www.googleapis.com/auth/userinfo.email") return "email";
  return scope.startsWith(prefix) ? scope.slice(prefix.length) : scope;
}

/** Scopes as Google lists them (space-separated, full) to short names. */
export function parseScopes(text: string | null | undefined): string[] {
  return [...new Set((text ?? "").split(/\s+/).filter(Boolean).map(shortScope))];
}

/** The needed scopes not covered by what was granted. */
export function missingScopes(granted: readonly string[], needed: readonly string[]): string[] {
  const covered = new Set(granted);
  for (const scope of granted) for (const narrower of includes[scope] ?? []) covered.add(narrower);
  return needed.filter((scope) => !covered.has(scope));
}

export function scopesOfFeatures(features: readonly GoogleFeature[]): string[] {
  return [...new Set(features.flatMap((feature) => googleFeatures[feature].scopes))];
}

/** The feature a scope belongs to (the one whose scopes cover it). */
export function featureOf(scope: string): GoogleFeature | undefined {
  return featureNames.find((feature) => missingScopes(googleFeatures[feature].scopes, [scope]).length === 0);
}

/** Which features a set of scopes belongs to, for people ("Gmail and Calendar"). */
export function describeScopes(scopes: readonly string[]): string {
  const features = new Set(scopes.map(featureOf).filter((feature) => feature !== undefined));
  const labels = featureNames.filter((feature) => features.has(feature)).map((f) => googleFeatures[f].label);
  if (labels.length === 0) return "your Google account";
  return labels.length === 1 ? labels[0]! : `${labels.slice(0, -1).join(", ")} and ${labels.at(-1)}`;
}
