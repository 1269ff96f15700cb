import { z } from "zod";
import { ConfigError, environment } from "./index.js";

/**
 * The one setting the deploy-time migrator needs. `npm run migrate` runs before the app is
 * configured (Fly's release command, a fresh database), so it does not parse the whole config.
 */
const schema = z.object({
  DATABASE_URL: z
    .string({
      message: "is required: the Postgres URL, e.g. postgresql://user:password@localhost:5432/coworker",
    })
    .trim()
    .pipe(z.url({ message: "must be a URL, e.g. postgresql://user:password@localhost:5432/coworker" })),
});

export function loadDatabaseUrl(env: Record<string, string | undefined> = environment()): string {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`));
  }
  return parsed.data.DATABASE_URL;
}
