import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * `npm run test:chaos`: the chaos suite on its own (it starts its own Postgres and Redis, so no global
 * setup). CHAOS_PROFILE=full runs the long profile. Kept out of `npm test`: the short profile takes
 * about three minutes on two cores.
 */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL("../..", import.meta.url)),
    include: ["tests/chaos/**/*.chaos.ts"],
    pool: "forks",
    maxWorkers: 1,
    testTimeout: 60 * 60 * 1000,
    hookTimeout: 120_000,
  },
});
