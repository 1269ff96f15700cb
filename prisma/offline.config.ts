import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

// For machines that cannot download Prisma's native schema engine: with a driver adapter the CLI uses
// its bundled WebAssembly engine, so `prisma migrate diff` works (the drift test and
// `npm run migration:new` use it). Migrations are applied offline by src/storage/migrate.ts.
export default defineConfig({
  experimental: { adapter: true },
  schema: "schema.prisma",
  migrations: { path: "migrations" },
  engine: "js",
  adapter: async () =>
    new PrismaPg({ connectionString: process.env.DATABASE_URL ?? "postgresql://localhost/unused" }),
});
