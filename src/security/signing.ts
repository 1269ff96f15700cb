import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

/**
 * Keys for one purpose each, derived from ENCRYPTION_KEY (so one secret to rotate), and HMAC tokens.
 */
export function deriveKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "coworker", purpose, 32));
}

export function sign(key: Buffer, payload: string): string {
  return createHmac("sha256", key).update(payload).digest("base64url");
}

export function verify(key: Buffer, payload: string, signature: string): boolean {
  const expected = Buffer.from(sign(key, payload));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
