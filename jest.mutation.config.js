/**
 * The unit tests Stryker runs for each mutant (`npm run mutate`): the tests of lambda/pipeline and
 * lib/config that do not synthesize a whole CDK stage or start processes, so a mutant reruns in seconds.
 * Files left out here still run in `npm test`.
 */
const base = require('./jest.config.js').projects[0];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: base.testEnvironment,
  transform: base.transform,
  setupFiles: base.setupFiles,
  restoreMocks: base.restoreMocks,
  // The source folders are roots too: jest's --findRelatedTests (Stryker's enableFindRelatedTests) follows imports
  // only through files under a root, and a handler test reaches a private module through the handler.
  roots: ['<rootDir>/test', '<rootDir>/lambda', '<rootDir>/lib', '<rootDir>/contracts', '<rootDir>/support'],
  testMatch: ['<rootDir>/test/config/**/*.test.ts', '<rootDir>/test/lambda/pipeline/**/*.test.ts'],
  testPathIgnorePatterns: [
    '/node_modules/',
    // Synthesize CDK stages when the file loads (jest runs a file's top level even when a mutant's
    // covering tests are elsewhere in it), or start the app and moto_server as processes.
    'test/config/app-entry.test.ts',
    'test/config/adopter-config.test.ts',
    // Signs in through the real SRP arithmetic (seconds a run); srp-sign-in.test.ts tests that sign-in on its own.
    'test/lambda/pipeline/journey/run-journey-srp.test.ts',
    'test/lambda/pipeline/change-review/platform-stage-review.test.ts',
    'test/lambda/pipeline/change-review/first-run.test.ts',
    'test/lambda/pipeline/change-review/change-review-step.test.ts',
    'test/lambda/pipeline/change-review/break-glass-report.test.ts',
    'test/lambda/pipeline/change-review/leftover-stacks.test.ts',
    'test/lambda/pipeline/change-review/review-stage-stacks.test.ts',
  ],
};
