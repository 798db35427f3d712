// Mutation testing (StrykerJS + its vitest runner) of the core modules: the ones whose one-line bugs change
// the papers' numbers without failing an outcome test (issue 14). `npm run mutate` runs all of them (long:
// run it on a quiet machine); `npm run mutate -- --mutate lib/steer/gauss.ts` runs one module. Scores per
// module are in the README ("Mutation testing"); the surviving mutants judged equivalent, with the reason, in test/MUTANTS.md.
// @ts-check
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner"],
  // Each mutant runs only the tests that executed its code in the first (dry) run.
  coverageAnalysis: "perTest",
  // The machine is shared: one test runner by default; `-- --concurrency 2` on a free machine.
  concurrency: 1,
  // vitest `related`: of the files below, only those that import the mutated file (directly or not) run.
  vitest: {related: true},
  // The modules' own unit, golden and mutant tests (`*-mutants.test.ts`). Left out on purpose: CLI, runtime and
  // publish tests (they spawn processes, which load the code without the active mutant, so they cannot kill one)
  // and the integration runs (experiment, π2vec features, retrieval with HNSW, live steering, studies), which reach
  // these modules through the calls the unit tests make and would multiply the run time on a shared machine.
  testFiles: [
    "test/lever/env/*.test.ts",
    "test/lever/library/sarsa*.test.ts",
    "test/lever/compose/exnonzero*.test.ts",
    "test/lever/compose/qsum*.test.ts",
    "test/lever/compose/common*.test.ts",
    "test/lever/pi2vec/sf.test.ts",
    "test/lever/pi2vec/sf-lstd*.test.ts",
    "test/lever/retrieval/retrieve*.test.ts",
    "test/steer/gauss*.test.ts",
    "test/steer/select*.test.ts",
  ],
  mutate: [
    "lib/lever/env/gridworld.ts",
    "lib/lever/env/rewards.ts",
    "lib/lever/env/optimum.ts",
    "lib/lever/library/sarsa.ts",
    "lib/lever/compose/exnonzero.ts",
    "lib/lever/compose/qsum.ts",
    "lib/lever/compose/common.ts",
    "lib/lever/pi2vec/sf-lstd.ts",
    "lib/lever/retrieval/retrieve.ts",
    "lib/steer/gauss.ts",
    "lib/steer/select.ts",
  ],
  // The shared machine is noisy: allow a slow mutant 10 s beyond 1.5× its tests' dry-run time before calling it a timeout.
  timeoutMS: 10_000,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: {fileName: "reports/mutation/mutation.html"},
  jsonReporter: {fileName: "reports/mutation/mutation.json"},
  incrementalFile: "reports/stryker-incremental.json",
  // Build outputs and caches are not needed in the sandbox copies; src/lib is the symlink to lib/ (Stryker cannot copy it).
  ignorePatterns: ["dist", "src/.observablehq", "/src/lib", ".lever-cache", "out", "reports"],
  thresholds: {high: 85, low: 70, break: null},
  cleanTempDir: true,
  // Stryker rewrites the sandbox's tsconfig.json (relative `extends`/`references`) through the TypeScript JS API,
  // which TypeScript 7 no longer has (`ts.parseConfigFileTextToJson is not a function`). Our tsconfig has neither,
  // and vitest does not read it: point the option at a file that does not exist, so the step is skipped.
  tsconfigFile: "tsconfig.stryker-skip.json",
};
