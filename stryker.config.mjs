// Mutation testing of the scheduling engine (app/scheduling) against its own unit tests:
// `npm run test:mutation`. The score and the survivors judged equivalent are in README.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts" },
  mutate: ["app/scheduling/**/*.ts", "!app/scheduling/**/*.test.ts", "!app/scheduling/test-*.ts", "!app/scheduling/index.ts", "!app/scheduling/types.ts"],
  coverageAnalysis: "perTest",
  concurrency: 2,
  reporters: ["clear-text", "progress", "json"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  tempDirName: "tmp/stryker",
  cleanTempDir: true,
  thresholds: { high: 90, low: 80, break: null },
  timeoutMS: 10000,
};
