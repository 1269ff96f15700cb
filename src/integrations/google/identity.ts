/**
 * The Google address of the person who consented, from the ID token in the token response. The
 * token came straight from Google's token endpoint over TLS, so (OpenID Connect Core 3.1.3.7) its
 * signature need not be checked; we still require it to be for our client.
 */
export function emailFromIdToken(idToken: string | null | undefined, clientId: string): string | undefined {
  if (!idToken) return undefined;
  const part = idToken.split(".")[1];
  if (!part) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as {
      aud?: string | string[];
      email?: string;
    };
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.includes(clientId)) return undefined;
    return typeof claims.email === "string" ? claims.email : undefined;
  } catch {
    return undefined;
  }
}
