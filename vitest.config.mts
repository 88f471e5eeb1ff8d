import { defineConfig } from "vitest/config";

// The Pulumi runtime keeps its state on a global: every test file runs in its own forked,
// isolated process (reference/pulumi.md, "The mock runtime — what bites" 3).
export default defineConfig({
  test: {
    pool: "forks",
    isolate: true,
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ["default", "./test/helpers/summaryReporter.ts"],
  },
});
