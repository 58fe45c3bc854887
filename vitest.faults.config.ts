import { defineConfig } from "vitest/config";

/**
 * Fault tests (`npm run test:faults`): real server processes against the local PostgreSQL, which
 * they stop and start, SIGKILL and restart. One file at a time; each stops by itself.
 */
export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    include: ["tests/faults/**/*.test.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 150_000,
    hookTimeout: 150_000,
    env: { NODE_ENV: "test" },
  },
});
