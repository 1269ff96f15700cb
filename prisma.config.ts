import { defineConfig } from "prisma/config";

// Prisma's CLI reads this file: `prisma generate` at install, and `prisma migrate deploy` in
// production (Fly's release command), where Prisma's schema engine can be downloaded.
// Offline (dev, tests, writing new migrations) see prisma/offline.config.ts and src/storage/migrate.ts.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
