import { timingSafeEqual } from "node:crypto";
import { approvalToken } from "../harness/approvals.js";

/**
 * The approval buttons carry `{approvalId, token}`; the token is an HMAC over the approval, its run,
 * its tool call and the hash of the call's arguments (src/harness/approvals.ts). A click is honoured
 * only when the token matches the stored approval, compared in constant time: a payload for another
 * approval, run, call or arguments, or an edited one, is refused.
 */
export function isValidApprovalToken(
  key: Buffer,
  approval: { id: string; runId: string; toolCallKey: string; argumentsHash: string },
  token: string,
): boolean {
  const expected = Buffer.from(approvalToken(key, approval));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The button value, parsed without trusting it: undefined unless it has both fields as strings. */
export function parseApprovalValue(
  value: string | undefined,
): { approvalId: string; token: string } | undefined {
  if (!value) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed !== "object" || parsed === null) return undefined;
    const { approvalId, token } = parsed as Record<string, unknown>;
    if (typeof approvalId !== "string" || typeof token !== "string") return undefined;
    if (approvalId.length > 100 || token.length > 200) return undefined;
    return { approvalId, token };
  } catch {
    return undefined;
  }
}
