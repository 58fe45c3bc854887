import { defineConfig } from "vitest/config";

/**
 * The deployment test (`npm run test:cluster`, deploy/): nginx in front of two app processes on
 * the local PostgreSQL, brought up and torn down by tests/cluster/cluster.test.ts.
 */
export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    include: ["tests/cluster/**/*.test.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 240_000,
    env: { NODE_ENV: "test" },
  },
});
