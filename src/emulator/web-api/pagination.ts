import { SlackMethodError } from "./method-error.js";

/** Cursor pagination as Slack does it: opaque `next_cursor`, empty string at the end. */
export function paginate<T>(
  items: T[],
  options: { cursor: string | undefined; limit: number | undefined; defaultLimit: number; maxLimit: number },
): { page: T[]; nextCursor: string } {
  let offset = 0;
  if (options.cursor) {
    const decoded = /^offset:(\d+)$/.exec(Buffer.from(options.cursor, "base64").toString("utf8"));
    if (!decoded) throw new SlackMethodError("invalid_cursor");
    offset = Number(decoded[1]);
  }
  const limit = Math.min(Math.max(options.limit || options.defaultLimit, 1), options.maxLimit);
  const page = items.slice(offset, offset + limit);
  const next = offset + limit;
  const nextCursor = next < items.length ? Buffer.from(`offset:${next}`).toString("base64") : "";
  return { page, nextCursor };
}
