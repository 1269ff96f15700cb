import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

// Prisma's CLI reads this file. The driver adapter lets the CLI use its bundled WebAssembly schema
// engine, so `prisma migrate diff` (used to write new migrations and by the drift test) works
// offline. Production applies migrations with `prisma migrate deploy` (see docs/deploy.md).
export default defineConfig({
  experimental: { adapter: true },
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  engine: "js",
  adapter: async () =>
    new PrismaPg({ connectionString: process.env.DATABASE_URL ?? "postgresql://localhost/unused" }),
});
