import {defineConfig} from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // CLI tests spawn node processes and library tests start worker threads: allow more than 5 s.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
